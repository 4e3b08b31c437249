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
 * @param failsafeConfirmed with the DCS unreadable and failsafe mode on: every member of the failsafe list
 *                    accepted our POST /failsafe this cycle
 * @param failsafeLeader a primary that asked us (POST /failsafe) not to race, while that request holds; else null
 * @param leaseSlackMillis how much longer than one loop_wait our leader lease certainly lasts before the fence
 *                    must stop PostgreSQL (0 when we do not hold the lock as far as we know, or it is about to end)
 * @param safetyFault null while the fence and the watchdog work; else why they cannot be trusted: this member
 *                    must then leave leadership and never take it ({@link SafetyFaultRule})
 */
public record HaInput(Cluster cluster, LocalState local, HaSettings settings, boolean lockRenewed,
                      Map<String, Peer> peers, long nowMillis, boolean lastKnownPaused, boolean failsafeConfirmed,
                      String failsafeLeader, long leaseSlackMillis, String safetyFault) {

    public HaInput(Cluster cluster, LocalState local, HaSettings settings, boolean lockRenewed, Map<String, Peer> peers,
                   long nowMillis, boolean lastKnownPaused, boolean failsafeConfirmed, String failsafeLeader,
                   long leaseSlackMillis) {
        this(cluster, local, settings, lockRenewed, peers, nowMillis, lastKnownPaused, failsafeConfirmed, failsafeLeader,
                leaseSlackMillis, null);
    }

    /** The same input, with the fence or watchdog broken for {@code reason}. */
    public HaInput withSafetyFault(String reason) {
        return new HaInput(cluster, local, settings, lockRenewed, peers, nowMillis, lastKnownPaused, failsafeConfirmed,
                failsafeLeader, leaseSlackMillis, reason);
    }

    public HaInput(Cluster cluster, LocalState local, HaSettings settings, boolean lockRenewed, Map<String, Peer> peers,
                   long nowMillis, boolean lastKnownPaused, boolean failsafeConfirmed, String failsafeLeader) {
        this(cluster, local, settings, lockRenewed, peers, nowMillis, lastKnownPaused, failsafeConfirmed, failsafeLeader, 0);
    }

    /** For decisions that do not involve a schedule. */
    public HaInput(Cluster cluster, LocalState local, HaSettings settings, boolean lockRenewed, Map<String, Peer> peers) {
        this(cluster, local, settings, lockRenewed, peers, 0, false, false, null);
    }

    public HaInput(Cluster cluster, LocalState local, HaSettings settings, boolean lockRenewed, Map<String, Peer> peers,
                   long nowMillis) {
        this(cluster, local, settings, lockRenewed, peers, nowMillis, false, false, null);
    }

    public HaInput(Cluster cluster, LocalState local, HaSettings settings, boolean lockRenewed, Map<String, Peer> peers,
                   long nowMillis, boolean lastKnownPaused) {
        this(cluster, local, settings, lockRenewed, peers, nowMillis, lastKnownPaused, false, null);
    }
}
