package io.pgha.agent.rest;

import io.pgha.contract.Cluster;

/**
 * What the write and cluster endpoints of the REST API need from the running agent: fresh DCS reads and
 * writes, a nudge for the HA loop, and the node tasks it runs. Implemented by the agent runtime.
 */
public interface AgentControl {

    String scope();

    String name();

    /** A fresh read of the cluster from the DCS (never the HA loop's cached view). */
    Cluster readCluster() throws Exception;

    /** Writes {@code key} only if its mod revision is still {@code modRevision} (0: only if absent). */
    boolean compareAndSet(String key, String value, long modRevision) throws Exception;

    void put(String key, String value) throws Exception;

    /** Runs the next HA cycle now rather than after loop_wait. */
    void wakeUp();

    int loopWaitSeconds();

    NodeTasks tasks();
}
