package io.pgha.agent.ha;

/**
 * One row of pg_stat_replication as Patroni shows it. Plain data, here in the pure decision package because
 * the sync planner decides on it; the PostgreSQL probe produces it and the REST API shows it.
 */
public record ReplicationRow(String usename, String applicationName, String clientAddr, String state,
                             String syncState, int syncPriority, long writeLsn, long flushLsn, long replayLsn) {

    public ReplicationRow(String usename, String applicationName, String clientAddr, String state, String syncState,
                          int syncPriority) {
        this(usename, applicationName, clientAddr, state, syncState, syncPriority, 0, 0, 0);
    }
}
