package io.pgha.agent.ha;

/**
 * Whether commits certainly wait for the synchronous_standby_names last written (hole 7 of issue 11).
 *
 * <p>pg_stat_replication's sync_state comes from the WAL sender, which reloads the file on its own; but a
 * committing backend waits only once the checkpointer has reloaded it too (it publishes "sync standbys
 * defined" in shared memory), and the checkpointer defers a reload until an immediate checkpoint (the one
 * after a promotion, say) has finished. A standby may enter the sync key, and so become the one failover
 * target, only once commits wait for it: the checkpointer must have been seen idle in its main loop, which it
 * enters again only after handling a pending reload, at least {@link #RELOAD_SETTLE_NANOS} after the file was
 * written (the reload follows the write within that time: pg_ctl reload, the signal, the checkpointer's wake).
 */
public final class SsnApplied {
    public static final long RELOAD_SETTLE_NANOS = 1_000_000_000L;
    static final String IDLE = "CheckpointerMain";

    private SsnApplied() {}

    /**
     * @param writtenNanos        when postgresql.conf was last written with a different SSN (System.nanoTime)
     * @param nowNanos            now, when {@code checkpointerWaitEvent} was read
     * @param checkpointerWaitEvent the checkpointer's wait_event as read now (null: working, or unseen)
     */
    public static boolean certain(long writtenNanos, long nowNanos, String checkpointerWaitEvent) {
        return nowNanos - writtenNanos >= RELOAD_SETTLE_NANOS && IDLE.equals(checkpointerWaitEvent);
    }
}
