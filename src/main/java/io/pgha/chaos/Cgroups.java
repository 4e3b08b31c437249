package io.pgha.chaos;

import io.pgha.local.OsProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Moving processes between cgroups of the cgroup v2 hierarchy (mounted on its own or as "unified"). */
final class Cgroups {

    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);

    private final Path root;

    Cgroups(Path root) {
        this.root = root;
    }

    /** Where cgroup2 is mounted, from /proc/mounts. */
    static Path findRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" "))
                    .filter(f -> f.length > 2 && f[2].equals("cgroup2")).map(f -> Path.of(f[1])).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no cgroup v2 hierarchy is mounted (see /proc/mounts)"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/mounts", e);
        }
    }

    Path root() {
        return root;
    }

    /** The directory of a cgroup given by its path inside the hierarchy ("/", "/a/b", "a/b"). */
    Path dir(String cgroupPath) {
        String relative = cgroupPath.replaceFirst("^/+", "");
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    void create(String cgroupPath) {
        try {
            Files.createDirectories(dir(cgroupPath));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create cgroup " + cgroupPath, e);
        }
    }

    /**
     * Moves a process (all its threads) into a cgroup.
     *
     * @return false when the process no longer exists
     */
    boolean move(long pid, String cgroupPath) {
        try {
            Files.writeString(dir(cgroupPath).resolve("cgroup.procs"), Long.toString(pid));
            return true;
        } catch (IOException e) {
            if (!OsProcess.alive(pid)) {
                LOG.info("process {} exited before it could be moved to cgroup {}", pid, cgroupPath);
                return false;
            }
            throw new UncheckedIOException("cannot move process " + pid + " to cgroup " + cgroupPath, e);
        }
    }

    /** The processes in a cgroup (not in its children); empty when it does not exist. */
    List<Long> processes(String cgroupPath) {
        Path procs = dir(cgroupPath).resolve("cgroup.procs");
        if (!Files.exists(procs)) {
            return List.of();
        }
        try {
            return Arrays.stream(Files.readString(procs).split("\\s+")).filter(s -> !s.isBlank()).map(Long::parseLong).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + procs, e);
        }
    }

    boolean exists(String cgroupPath) {
        return Files.isDirectory(dir(cgroupPath));
    }

    /** Removes an empty cgroup; it must hold no process and no child any more. */
    void remove(String cgroupPath) {
        try {
            Files.deleteIfExists(dir(cgroupPath));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove cgroup " + cgroupPath + " (processes left: "
                    + processes(cgroupPath) + ")", e);
        }
    }
}
