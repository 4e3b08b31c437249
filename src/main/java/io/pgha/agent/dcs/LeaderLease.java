package io.pgha.agent.dcs;

/** The one fact the fence needs from the DCS: until when our leader key certainly stays ours. */
public interface LeaderLease {
    /**
     * System.nanoTime() before which etcd cannot have deleted our leader key: the end of the lease that key is
     * known (from a transaction etcd answered) to be attached to; 0 when we hold no leader key as far as we know.
     */
    long leaderValidUntilNanos();
}
