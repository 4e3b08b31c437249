package io.pgha.agent.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL processes of one data directory, found from /proc. A process is one of ours when all three
 * hold: its working directory is the data directory (PostgreSQL chdirs into PGDATA before it forks anything,
 * and no two clusters share one), it runs with our effective uid, and its executable is our {@code postgres}
 * binary. Another cluster on the same machine, even of the same user and binary, never matches.
 *
 * <p>{@code ProcessHandle.info().commandLine()} cannot be used: for a PostgreSQL child it gives the binary's
 * path, while the title PostgreSQL writes over its argv ("postgres: scope/name: checkpointer") is only in
 * /proc/PID/cmdline.
 */
final class PgProcesses {
    /** The start of every title PostgreSQL gives a process its postmaster forked (never the postmaster's own). */
    static final String CHILD_TITLE = "postgres: ";

    private final Path proc;
    private final Path dataDir;
    private final Path binary;

    /**
     * @param binary the {@code postgres} executable (symbolic links are resolved, as /proc/PID/exe is)
     */
    PgProcesses(Path proc, Path dataDir, Path binary) {
        this.proc = proc;
        this.dataDir = dataDir;
        this.binary = binary;
    }

    /** Every process of this data directory: a postmaster, its children, a single-user postgres. */
    List<Long> all() {
        Optional<Path> dir = real(dataDir);
        Optional<Path> exe = real(binary);
        Optional<String> uid = effectiveUid("self");
        if (dir.isEmpty() || exe.isEmpty() || uid.isEmpty()) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(proc)) {
            entries.map(p -> p.getFileName().toString()).filter(PgProcesses::numeric).forEach(pid -> {
                if (ours(pid, dir.get(), exe.get(), uid.get())) {
                    out.add(Long.parseLong(pid));
                }
            });
        } catch (IOException e) {
            return List.of(); // no /proc: nothing can be identified, so nothing is killed
        }
        return out;
    }

    /**
     * Children whose postmaster is gone: they carry a child's title and their parent is not a process of this
     * data directory any more (they were reparented to init or a subreaper). A postmaster that is starting
     * right now has no child title, and the children of a live postmaster have it as their parent: neither
     * is ever an orphan.
     */
    List<Long> orphans() {
        List<Long> all = all();
        List<Long> out = new ArrayList<>();
        for (long pid : all) {
            if (title(pid).startsWith(CHILD_TITLE) && !all.contains(parent(pid))) {
                out.add(pid);
            }
        }
        return out;
    }

    /** SIGKILLs each process and waits for them to exit, {@code waitMillis} in all; returns how many were signalled. */
    static int kill(List<Long> pids, long waitMillis) {
        List<ProcessHandle> handles = new ArrayList<>();
        for (long pid : pids) {
            // ProcessHandle checks the start time it saw against the process's, so a reused pid is not hit
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                handles.add(h);
            });
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (ProcessHandle h : handles) {
            // the exit of a process that is not our child offers nothing to wait on
            while (alive(h.pid()) && System.nanoTime() - deadline < 0 && sleptBriefly()) {
                // poll again
            }
        }
        return handles.size();
    }

    /** Alive and not a zombie: a killed process whose parent has not reaped it yet is dead to us. */
    static boolean alive(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || stat.length() < close + 3 || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private boolean ours(String pid, Path dir, Path exe, String uid) {
        Path p = proc.resolve(pid);
        try {
            // cwd and exe of another user's process are unreadable to us: an exception means "not ours"
            return Files.readSymbolicLink(p.resolve("cwd")).equals(dir)
                    && sameBinary(Files.readSymbolicLink(p.resolve("exe")).toString(), exe)
                    && effectiveUid(pid).map(uid::equals).orElse(false);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** A binary replaced on disk (a package upgrade) while running shows as "PATH (deleted)". */
    private static boolean sameBinary(String exeLink, Path exe) {
        String path = exeLink.endsWith(" (deleted)") ? exeLink.substring(0, exeLink.length() - " (deleted)".length()) : exeLink;
        return path.equals(exe.toString());
    }

    /** The process title: /proc/PID/cmdline with its NUL separators as spaces; "" when gone. */
    String title(long pid) {
        try {
            byte[] raw = Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve("cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private long parent(long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"));
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(rest[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private Optional<String> effectiveUid(String pid) {
        try {
            for (String line : Files.readAllLines(proc.resolve(pid).resolve("status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return f.length > 1 ? Optional.of(f[1]) : Optional.empty();
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> real(Path p) {
        try {
            return Optional.of(p.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean numeric(String name) {
        return !name.isEmpty() && name.length() < 11 && name.chars().allMatch(Character::isDigit);
    }

    /** False when interrupted (the flag is kept for the caller): the signals are sent, only the wait ends. */
    private static boolean sleptBriefly() {
        try {
            Thread.sleep(5);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
