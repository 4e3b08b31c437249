package io.pgha.agent.ha;

import io.pgha.contract.Cluster;

/**
 * May this member race for a free leader lock? (patroni-compat.md §3.4.) Returns null for yes, else the
 * reason. Unreachable peers are ignored: etcd's create-if-absent transaction picks exactly one winner among
 * the members that answer yes, so peers only serve to keep a less advanced member out of the race.
 */
final class Healthiest {

    private Healthiest() {}

    static String check(HaInput in) {
        Cluster c = in.cluster();
        LocalState l = in.local();
        HaSettings s = in.settings();
        int clusterTimeline = c.timeline();
        if (l.isRunningPrimary()) {
            return clusterTimeline > 0 && l.timeline() > 0 && l.timeline() < clusterTimeline
                    ? "my timeline " + l.timeline() + " is behind the cluster's " + clusterTimeline : null;
        }
        if (s.nofailover()) {
            return "tagged nofailover";
        }
        if (c.optime() > 0 && c.optime() - l.walPosition() > s.maximumLagOnFailover()) {
            return "my wal position exceeds maximum replication lag (" + (c.optime() - l.walPosition()) + " bytes behind)";
        }
        if (s.checkTimeline() && clusterTimeline > 0 && l.timeline() < clusterTimeline) {
            return "my timeline " + l.timeline() + " is behind the cluster's " + clusterTimeline;
        }
        for (Peer p : in.peers().values()) {
            if (p.name().equals(s.me()) || !p.reachable() || p.nofailover()) {
                continue;
            }
            if (p.isPrimary()) {
                return "primary " + p.name() + " is still alive";
            }
            if (p.walPosition() > l.walPosition()) {
                return p.name() + " has a more advanced wal position (" + p.walPosition() + " > " + l.walPosition() + ")";
            }
        }
        return null;
    }
}
