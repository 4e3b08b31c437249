package io.pgha.ctl;

import io.pgha.contract.Cluster;

/** The DCS as the CLI uses it: one read of a cluster, and the two keys patronictl itself writes. */
public interface ClusterStore extends AutoCloseable {

    Cluster read(String scope);

    /**
     * Writes the config key; with {@code expectedModRevision} > 0 only if the key still has that mod
     * revision (compare-and-set), so a concurrent edit is never overwritten.
     *
     * @return false when the compare failed
     */
    boolean setConfig(String scope, String value, long expectedModRevision);

    /** Writes the failover key (the fallback when no member's REST API answers); CAS as for config. */
    boolean setFailover(String scope, String value, long expectedModRevision);

    /** Deletes every key of the cluster (patronictl remove). */
    void deleteCluster(String scope);

    @Override
    void close();
}
