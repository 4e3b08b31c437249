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
        if (s.failsafeMode() && c.failsafe() != null && c.failsafe().isObject() && !c.failsafe().isEmpty()
                && !c.failsafe().has(s.me())) {
            return "failsafe mode is on and I am not in the failsafe list";
        }
        SyncKey sync = SyncKey.active(c, s.synchronousMode());
        if (sync != null && !sync.eligible(s.me())) {
            return "synchronous mode: not a synchronous standby (sync key lists " + sync.standbys() + ")";
        }
        // a synchronous standby holds every acknowledged commit: lag behind the leader's last optime is only
        // what nobody was told was committed, so it does not disqualify
        if (sync == null && c.optime() > 0 && c.optime() - l.walPosition() > s.maximumLagOnFailover()) {
            return "my wal position exceeds maximum replication lag (" + (c.optime() - l.walPosition()) + " bytes behind)";
        }
        if (s.checkTimeline() && clusterTimeline > 0 && l.timeline() < clusterTimeline) {
            return "my timeline " + l.timeline() + " is behind the cluster's " + clusterTimeline;
        }
        for (Peer p : in.peers().values()) {
            if (p.name().equals(s.me()) || !p.reachable() || p.nofailover()) {
                continue;
            }
            if (sync != null && (!sync.eligible(p.name()) || (p.name().equals(sync.leader()) && !p.isPrimary()))) {
                continue; // in sync mode only the sync members compete; the former leader's extra WAL was never acknowledged
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
