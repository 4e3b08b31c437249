package io.pgha.chaos;

import io.pgha.local.OsProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Process trees and states seen through /proc (Linux), and signals sent to them; liveness checks are {@link OsProcess}'s. */
final class ProcessTree {

    private ProcessTree() {}

    /** The process state letter (R, S, T for stopped, ...), or empty when gone. */
    static Optional<Character> state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() ? Optional.of(stat.charAt(close + 2)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** pid → parent pid of every process. */
    static Map<Long, Long> parents() {
        Map<Long, Long> parents = new HashMap<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : proc) {
                try {
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.US_ASCII);
                    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parents.put(Long.parseLong(p.getFileName().toString()), Long.parseLong(after[1]));
                } catch (IOException gone) {
                    // exited while we listed /proc: not a process any more
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return parents;
    }

    /** The roots and all their descendants, roots first. */
    static List<Long> withDescendants(Collection<Long> roots) {
        Map<Long, List<Long>> children = new HashMap<>();
        parents().forEach((pid, parent) -> children.computeIfAbsent(parent, p -> new ArrayList<>()).add(pid));
        Set<Long> all = new LinkedHashSet<>(roots);
        List<Long> queue = new ArrayList<>(roots);
        while (!queue.isEmpty()) {
            long pid = queue.remove(0);
            for (long child : children.getOrDefault(pid, List.of())) {
                if (all.add(child)) {
                    queue.add(child);
                }
            }
        }
        return List.copyOf(all);
    }

    /** Children of {@code pid} only. */
    static List<Long> children(long pid) {
        return parents().entrySet().stream().filter(e -> e.getValue() == pid).map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * SIGKILL to every pid, straight from this process (kill(2) through {@link ProcessHandle}), so they die
     * within microseconds of each other and of the call: starting kill(1) takes up to 100 ms on a loaded
     * machine, which let a primary acknowledge commits after the harness thought it dead.
     *
     * @return the pids that were already gone
     */
    static List<Long> kill(Collection<Long> pids) {
        List<ProcessHandle> handles = new ArrayList<>();
        List<Long> gone = new ArrayList<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresentOrElse(handles::add, () -> gone.add(pid));
        }
        for (ProcessHandle h : handles) {
            if (!h.destroyForcibly() && h.isAlive()) {
                throw new IllegalStateException("cannot send SIGKILL to process " + h.pid());
            }
        }
        return gone;
    }

    /**
     * Sends {@code signal} (STOP, CONT, ...) to every pid in one kill(1) call; the signal has been delivered
     * when this returns. A process that exited in
     * the meantime makes kill report "No such process"; that is returned, not thrown.
     *
     * @return kill's complaint, empty when every pid was signalled
     */
    static String signal(String signal, Collection<Long> pids) {
        List<String> cmd = new ArrayList<>(List.of("kill", "-s", signal));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        Shell.Result r = Shell.exec(cmd);
        if (r.exitCode() != 0 && !r.output().contains("No such process")) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.output().strip());
        }
        return r.output().strip();
    }

    /** The cgroup v2 path of {@code pid} (the "0::" line of /proc/PID/cgroup), or empty when gone. */
    static Optional<String> cgroup(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")).stream()
                    .filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
