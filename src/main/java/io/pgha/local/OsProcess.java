package io.pgha.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Looks at and signals processes by pid through /proc (Linux). Before signalling a recorded pid,
 * callers check that it still is the process they started (its command line names a file of the
 * cluster), since pids are reused.
 */
public final class OsProcess {

    enum Signal { TERM, INT, QUIT, KILL }

    private OsProcess() {}

    /** True while the process exists and is not a zombie. */
    public static boolean alive(long pid) {
        if (pid <= 0) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            char state = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** The command line, arguments joined by spaces, or empty if the process is gone or unreadable. */
    public static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Alive and its command line contains {@code marker} (e.g. the path of its configuration file). */
    public static boolean aliveAndRuns(Long pid, String marker) {
        return pid != null && alive(pid) && commandLine(pid).map(c -> c.contains(marker)).orElse(false);
    }

    /** Alive and its working directory is {@code dir}: how a postmaster is recognised (it runs in its data directory). */
    public static boolean aliveIn(long pid, Path dir) {
        if (!alive(pid)) {
            return false;
        }
        try {
            return Path.of("/proc/" + pid + "/cwd").toRealPath().equals(dir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    static void signal(long pid, Signal signal) {
        switch (signal) {
            case TERM -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            case KILL -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            default -> {
                try {
                    new ProcessBuilder("kill", "-s", signal.name(), Long.toString(pid))
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start().waitFor();
                } catch (IOException e) {
                    throw LocalException.failed("cannot run kill -s " + signal + " " + pid + ": " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The first line of a pid file as a number, if the file exists and holds one. */
    static Optional<Long> readPidFile(Path file) {
        try {
            String first = Files.readAllLines(file, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
            return first.matches("[0-9]+") ? Optional.of(Long.parseLong(first)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
