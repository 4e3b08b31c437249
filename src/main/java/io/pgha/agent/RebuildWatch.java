package io.pgha.agent;

/**
 * A reinitialize is not over when POST /reinitialize answers: the data directory is empty, the next cycles
 * clone it and start PostgreSQL, whose postmaster writes its pid file only after pg_ctl returns. A second
 * reinitialize (or a restart) in that time once found no postmaster, wiped the directory under the starting
 * one and left a directory without PG_VERSION: the agent exited for good. This tracks the rebuild until the
 * probe sees PostgreSQL running on a populated data directory, or its start given up. Used on the HA thread.
 */
final class RebuildWatch {

    private boolean rebuilding;

    /** The data directory was just emptied by a reinitialize. */
    void wiped() {
        rebuilding = true;
    }

    /** Whether the rebuild still goes on, judged from a fresh probe. */
    boolean inProgress(boolean dataDirEmpty, boolean running, boolean startFailed) {
        if (rebuilding && !dataDirEmpty && (running || startFailed)) {
            rebuilding = false;
        }
        return rebuilding;
    }
}
