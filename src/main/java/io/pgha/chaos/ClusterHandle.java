package io.pgha.chaos;

import io.pgha.local.ClusterFile;
import io.pgha.local.LocalLayout;
import io.pgha.local.OsProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code pgha local} cluster as the harness sees it: DIR/cluster.json (read again on every call, since
 * {@code local up} records new pids in it), the processes it names, and {@code local up}/{@code down} run as
 * separate programs. Only processes recorded there (checked against their command line or working directory)
 * and the children of a recorded postmaster are ever signalled.
 */
final class ClusterHandle {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterHandle.class);

    private final Path dir;
    private final List<String> pgha;
    private final Path localLog;
    private volatile Process running;

    /**
     * @param pgha     the command that runs pgha, e.g. [java, -jar, /path/pgha.jar]
     * @param localLog where the output of {@code local up} and {@code local down} goes
     */
    ClusterHandle(Path dir, List<String> pgha, Path localLog) {
        this.dir = dir.toAbsolutePath().normalize();
        this.pgha = List.copyOf(pgha);
        this.localLog = localLog;
    }

    Path dir() {
        return dir;
    }

    boolean exists() {
        return Files.isRegularFile(dir.resolve("cluster.json"));
    }

    ClusterFile file() {
        return ClusterFile.read(dir.resolve("cluster.json"));
    }

    LocalLayout layout() {
        return file().layout(dir);
    }

    String password() {
        try {
            return Files.readString(Path.of(file().superuser().passwordFile())).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the superuser password", e);
        }
    }

    String superuser() {
        return file().superuser().username();
    }

    int ttl() {
        return file().timing().ttl();
    }

    int loopWait() {
        return file().timing().loopWait();
    }

    /** The member whose PostgreSQL listens on {@code port}, or null. */
    String memberOfPort(int port) {
        return layout().members().stream().filter(m -> m.postgresPort() == port).map(LocalLayout.Member::name)
                .findFirst().orElse(null);
    }

    // ---- processes ----

    Optional<Long> agentPid(String member) {
        LocalLayout l = layout();
        Long pid = file().pids().agent(member);
        return OsProcess.aliveAndRuns(pid, l.agentConfig(l.member(member)).toString()) ? Optional.of(pid) : Optional.empty();
    }

    Optional<Long> postmasterPid(String member) {
        Path data = layout().dataDir(layout().member(member));
        try {
            List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
            long pid = Long.parseLong(lines.get(0).trim());
            return OsProcess.aliveIn(pid, data) ? Optional.of(pid) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    Optional<Long> pgbouncerPid(String member) {
        LocalLayout l = layout();
        Long pid = file().pids().pgbouncer(member);
        return OsProcess.aliveAndRuns(pid, l.pgbouncerConfig(l.member(member)).toString()) ? Optional.of(pid) : Optional.empty();
    }

    Optional<Long> etcdPid(String name) {
        LocalLayout l = layout();
        Long pid = file().pids().etcd(name);
        LocalLayout.EtcdMember e = l.etcd().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        return OsProcess.aliveAndRuns(pid, l.etcdDataDir(e).toString()) ? Optional.of(pid) : Optional.empty();
    }

    /** A member's postmaster and every process below it (backends, walsenders, ...). */
    List<Long> postgresProcesses(String member) {
        return postmasterPid(member).map(pm -> ProcessTree.withDescendants(List.of(pm))).orElse(List.of());
    }

    /** Everything of one member: agent, postmaster, PgBouncer, and their descendants. */
    List<Long> memberProcesses(String member) {
        List<Long> roots = new ArrayList<>();
        agentPid(member).ifPresent(roots::add);
        postmasterPid(member).ifPresent(roots::add);
        pgbouncerPid(member).ifPresent(roots::add);
        return ProcessTree.withDescendants(roots);
    }

    /** The ports a member listens on (PostgreSQL, PgBouncer, REST) and its advertised PostgreSQL port. */
    static List<Integer> memberPorts(LocalLayout.Member m) {
        List<Integer> ports = new ArrayList<>(List.of(m.postgresPort(), m.pgbouncerPort(), m.restPort()));
        if (m.advertisedPostgresPort() != m.postgresPort()) {
            ports.add(m.advertisedPostgresPort());
        }
        return ports;
    }

    // ---- pgha local ----

    /** {@code pgha local up --dir DIR ARGS}: starts whatever of the cluster does not run; its exit code. */
    int up(List<String> args) {
        List<String> cmd = new ArrayList<>(pgha);
        cmd.addAll(List.of("local", "up", "--dir", dir.toString()));
        cmd.addAll(args);
        return runLocal("up", cmd);
    }

    int down() {
        List<String> cmd = new ArrayList<>(pgha);
        cmd.addAll(List.of("local", "down", "--dir", dir.toString()));
        return runLocal("down", cmd);
    }

    /**
     * Stops a {@code pgha local} command still running (SIGTERM: it stops what it started itself) and waits
     * for it: when the harness is told to stop in the middle of {@code up}.
     */
    void stopLocalCommand() {
        Process p = running;
        if (p != null && p.isAlive()) {
            LOG.warn("stopping the running pgha local command (pid {})", p.pid());
            p.destroy();
            try {
                if (!p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
                    LOG.error("pgha local (pid {}) did not stop within 90 s", p.pid());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int runLocal(String verb, List<String> cmd) {
        LOG.info("running {}", String.join(" ", cmd));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(localLog.toFile())).start();
            running = p;
            p.getOutputStream().close();
            int code = p.waitFor();
            running = null;
            LOG.info("pgha local {} exited {} (output in {})", verb, code, localLog);
            return code;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running pgha local", e);
        }
    }
}
