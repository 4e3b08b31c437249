package io.pgha.agent.postgres;

import java.sql.SQLException;

/** What synchronous replication reads of the primary besides its snapshot (ha/SsnApplied, SyncReplication). */
public interface SyncProbe {
    /** The checkpointer's wait_event: "CheckpointerMain" while idle, else what it works on (null: unseen). */
    String checkpointerWaitEvent() throws SQLException;

    /** pg_current_wal_flush_lsn() in bytes. */
    long currentFlushLsn() throws SQLException;
}
