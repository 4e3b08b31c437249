package io.pgha.agent.ha;

import io.pgha.contract.Cluster;
import java.util.Map;

/**
 * Everything one decision depends on.
 *
 * @param cluster     the DCS view, or null when the DCS could not be read this cycle
 * @param lockRenewed we hold the leader key and renewed it this cycle (only meaningful if we hold it)
 * @param peers       other members' answers, fetched only when the lock is free or a switchover is pending
 * @param nowMillis   wall-clock time of the cycle (scheduled switchovers)
 * @param lastKnownPaused the cluster was paused in the last DCS view we had (used while etcd cannot be read)
 */
public record HaInput(Cluster cluster, LocalState local, HaSettings settings, boolean lockRenewed,
                      Map<String, Peer> peers, long nowMillis, boolean lastKnownPaused) {

    /** For decisions that do not involve a schedule. */
    public HaInput(Cluster cluster, LocalState local, HaSettings settings, boolean lockRenewed, Map<String, Peer> peers) {
        this(cluster, local, settings, lockRenewed, peers, 0, false);
    }

    public HaInput(Cluster cluster, LocalState local, HaSettings settings, boolean lockRenewed, Map<String, Peer> peers,
                   long nowMillis) {
        this(cluster, local, settings, lockRenewed, peers, nowMillis, false);
    }
}
