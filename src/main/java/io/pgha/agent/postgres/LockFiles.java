package io.pgha.agent.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * PostgreSQL's lock files (postmaster.pid, .s.PGSQL.PORT.lock) whose first line names a dead or zombie
 * process: PostgreSQL itself would take a zombie for a live postmaster and refuse to start, and zombies
 * linger where PID 1 reaps slowly.
 */
final class LockFiles {
    private LockFiles() {}

    static void removeStale(List<Path> locks) throws IOException {
        for (Path lock : locks) {
            if (Files.exists(lock) && !ownerAlive(lock)) {
                Files.deleteIfExists(lock);
            }
        }
    }

    /** A lock file whose first line names a live process; unreadable or half written counts as live. */
    private static boolean ownerAlive(Path lock) {
        try {
            String first = Files.readAllLines(lock).stream().findFirst().orElse("").trim();
            return PgProcesses.alive(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return true; // leave it to PostgreSQL to judge
        }
    }
}
