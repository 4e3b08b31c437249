package io.pgha.agent.ha;

/**
 * The local PostgreSQL as probed at the start of the cycle.
 *
 * @param dataDirEmpty no PGDATA (or an empty one): bootstrap or clone needed
 * @param running      PostgreSQL accepts connections
 * @param starting     a postmaster exists but does not accept connections yet
 * @param inRecovery   pg_is_in_recovery() (meaningful when running)
 * @param wasPrimary   pg_control says the data directory last ran as a primary and no standby.signal exists:
 *                     following another leader then needs pg_rewind
 * @param sysid        database system identifier, null when unknown
 * @param timeline     current timeline (0 when unknown)
 * @param walPosition  primary: flush LSN; replica: max(receive, replay) LSN; bytes
 * @param following    member name our primary_conninfo points at, null for none
 * @param startFailed  the last start attempt ended without a running server
 * @param streaming    a replica's WAL receiver is streaming
 * @param notStreamingMillis how long a running replica has been without a streaming WAL receiver
 * @param cleanShutdownCheckpoint a stopped former primary that shut down cleanly: its shutdown checkpoint's
 *                    location (pg_control); 0 otherwise
 */
public record LocalState(boolean dataDirEmpty, boolean running, boolean starting, boolean inRecovery,
                         boolean wasPrimary, String sysid, int timeline, long walPosition, String following,
                         boolean startFailed, boolean streaming, long notStreamingMillis, long cleanShutdownCheckpoint) {

    public LocalState(boolean dataDirEmpty, boolean running, boolean starting, boolean inRecovery, boolean wasPrimary,
                      String sysid, int timeline, long walPosition, String following, boolean startFailed, boolean streaming,
                      long notStreamingMillis) {
        this(dataDirEmpty, running, starting, inRecovery, wasPrimary, sysid, timeline, walPosition, following, startFailed,
                streaming, notStreamingMillis, 0);
    }

    public LocalState withStartFailed(boolean failed) {
        return new LocalState(dataDirEmpty, running, starting, inRecovery, wasPrimary, sysid, timeline, walPosition,
                following, failed, streaming, notStreamingMillis, cleanShutdownCheckpoint);
    }

    public boolean isRunningPrimary() {
        return running && !inRecovery;
    }
}
