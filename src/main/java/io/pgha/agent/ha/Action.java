package io.pgha.agent.ha;

/** What the HA loop does this cycle; the runtime executes exactly one per cycle. */
public enum Action {
    /** Nothing to change (leader renewing, replica following, waiting). */
    NONE,
    /** Race for the initialize key and, if won, initdb and become the first leader. */
    BOOTSTRAP,
    /** Copy the data directory from a running member with pg_basebackup. */
    CLONE,
    /** Start PostgreSQL as primary: we still hold the lock after a crash. */
    START_PRIMARY,
    /** Start PostgreSQL read-only, following {@code target} (or nobody). */
    START_REPLICA,
    /** Former primary must follow another leader: pg_rewind (crash recovery included), then start as replica. */
    REWIND,
    /** Point primary_conninfo at {@code target} and reload (no restart). */
    FOLLOW,
    /** We hold the lock but run in recovery: promote. */
    PROMOTE,
    /** The lock is free and we are the healthiest candidate: take it (and promote if in recovery). */
    ACQUIRE_LOCK,
    /** Stop PostgreSQL immediately without touching the leader key: we must not accept writes. */
    DEMOTE,
    /** Manual switchover: checkpoint, stop cleanly, release the leader key so {@code target} (or the healthiest) takes over. */
    SWITCHOVER,
    /** The pending failover key was carried out or cannot be: overwrite it with {} (compare-and-set). */
    CLEAR_FAILOVER,
    /** Delete our leader key (we cannot serve as primary). */
    RELEASE_LOCK,
    /** A condition the agent must not run under (wrong cluster); the agent exits. */
    FATAL
}
