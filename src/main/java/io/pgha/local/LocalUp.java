package io.pgha.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pgha local up}: checks everything first (directory, ports, programs), then starts etcd, the
 * agents, PgBouncer and HAProxy, and returns once the cluster is ready. On an existing cluster directory
 * it starts only what is not running, with the recorded ports and data. If anything fails, or the caller
 * is interrupted, it stops exactly the processes this run started and rethrows.
 */
public final class LocalUp {

    private static final Logger LOG = LoggerFactory.getLogger(LocalUp.class);
    private static final Duration ETCD_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What the user asked for. Boxed values are null when not given; on a restart a given value must
     * match the recorded cluster.
     *
     * @param searchPath the directories of the caller's PATH
     * @param pathValue  the caller's PATH, handed on to the cluster's processes
     * @param pgAdvertisePortOffset members advertise PostgreSQL port + this in their conn_url, for a proxy in
     *                   the replication path (see {@link LocalLayout#withPostgresAdvertiseOffset}); null = 0
     * @param replication synchronous and failsafe settings seeded at bootstrap; null = asynchronous
     * @param etcdPortOffset the agents reach etcd at its client ports + this, for a proxy in between (see
     *                   {@link LocalLayout#withEtcdAgentOffset}); null = 0
     */
    public record Options(Path dir, Integer members, String scope, Integer portBase, Integer ttl, Integer loopWait,
                          Integer retryTimeout, Path pgBinDir, Duration timeout, AgentLaunch agent,
                          List<Path> searchPath, String pathValue, Integer pgAdvertisePortOffset,
                          io.pgha.config.DcsReplication replication, Integer etcdPortOffset) {

        public Options(Path dir, Integer members, String scope, Integer portBase, Integer ttl, Integer loopWait,
                       Integer retryTimeout, Path pgBinDir, Duration timeout, AgentLaunch agent,
                       List<Path> searchPath, String pathValue, Integer pgAdvertisePortOffset,
                       io.pgha.config.DcsReplication replication) {
            this(dir, members, scope, portBase, ttl, loopWait, retryTimeout, pgBinDir, timeout, agent, searchPath,
                    pathValue, pgAdvertisePortOffset, replication, null);
        }

        public Options(Path dir, Integer members, String scope, Integer portBase, Integer ttl, Integer loopWait,
                       Integer retryTimeout, Path pgBinDir, Duration timeout, AgentLaunch agent,
                       List<Path> searchPath, String pathValue, Integer pgAdvertisePortOffset) {
            this(dir, members, scope, portBase, ttl, loopWait, retryTimeout, pgBinDir, timeout, agent, searchPath,
                    pathValue, pgAdvertisePortOffset, null);
        }

        public Options(Path dir, Integer members, String scope, Integer portBase, Integer ttl, Integer loopWait,
                       Integer retryTimeout, Path pgBinDir, Duration timeout, AgentLaunch agent,
                       List<Path> searchPath, String pathValue) {
            this(dir, members, scope, portBase, ttl, loopWait, retryTimeout, pgBinDir, timeout, agent, searchPath,
                    pathValue, null);
        }

        Options withAgent(AgentLaunch launch) {
            return new Options(dir, members, scope, portBase, ttl, loopWait, retryTimeout, pgBinDir, timeout, launch,
                    searchPath, pathValue, pgAdvertisePortOffset, replication, etcdPortOffset);
        }
    }

    /** A ready cluster. */
    public record Result(LocalLayout layout, String leader, Path superuserPasswordFile, boolean restarted) {}

    public Result run(Options o) {
        boolean root = ServiceUser.runningAsRoot();
        UpPreflight.Plan plan = UpPreflight.plan(o, root);
        LocalLayout layout = plan.layout();
        Pids pids = plan.pids();
        boolean restart = plan.restart();
        Binaries bin = Binaries.find(o.searchPath(), o.pgBinDir(), o.agent().java(), root);
        if (!Files.isRegularFile(o.agent().jar())) {
            throw LocalException.badInput("pgha jar not found at " + o.agent().jar());
        }
        UpPreflight.checkPortsFree(plan);
        ServiceUser user = root ? ServiceUser.system(bin.setpriv()) : ServiceUser.current();
        LOG.info("{} cluster {} in {} as user {}", restart ? "restarting" : "creating", layout.scope(), layout.dir(),
                user.name());
        createDirectory(layout.dir());
        try (DirLock lock = DirLock.acquire(layout.dir())) {
            if (restart) {
                // another command may have changed the cluster between the checks and the lock
                plan = UpPreflight.plan(o, root);
                pids = plan.pids();
            }
            // cluster.json first: from now on DIR is this cluster's, and a later up or down can finish the job
            Path passwordFile = LocalSecrets.file(layout.secretsDir(), LocalSecrets.SUPERUSER);
            writeClusterFile(layout, passwordFile, pids);
            // agents run from a copy inside DIR: rebuilding target/pgha.jar under a running cluster cannot crash
            // them, and the unprivileged user can read it even when the checkout is private
            Path jar = installJar(o.agent().jar(), layout.dir().resolve("pgha.jar"));
            o = o.withAgent(new AgentLaunch(o.agent().java(), o.agent().jvmFlags(), jar));
            LocalSecrets secrets = prepareDirectory(layout, bin, user, jar,
                    o.replication() == null ? io.pgha.config.DcsReplication.ASYNC : o.replication());
            LocalProcesses processes = new LocalProcesses(bin.setsid(), user, environment(layout, user, o.pathValue()));
            return startAndAwait(new Run(layout, bin, o, secrets, passwordFile, pids, processes), restart);
        }
    }

    /** Copies the jar by write-then-rename, so agents already running keep their (old) file open and intact. */
    private static Path installJar(Path source, Path target) {
        try {
            if (Files.exists(target) && Files.mismatch(source, target) == -1) {
                return target;
            }
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.copy(source, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw LocalException.badInput("cannot copy " + source + " to " + target + ": " + e.getMessage());
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw LocalException.badInput("cannot create " + dir + ": " + e.getMessage());
        }
    }

    /** Everything one run works with. */
    private record Run(LocalLayout layout, Binaries bin, Options options, LocalSecrets secrets, Path passwordFile,
                       Pids pids, LocalProcesses processes) {}

    private Result startAndAwait(Run run, boolean restart) {
        AtomicBoolean finished = new AtomicBoolean();
        Thread undoOnExit = new Thread(() -> {
            if (finished.compareAndSet(false, true)) {
                LOG.warn("interrupted: stopping what this run started");
                undo(run);
            }
        }, "pgha-local-undo");
        Runtime.getRuntime().addShutdownHook(undoOnExit);
        try {
            startAll(run);
            String leader = new ReadinessWait(run.layout(), new AgentRest(), pg(run))
                    .await(run.options().timeout(), () -> exitedMessage(run));
            writeClusterFile(run.layout(), run.passwordFile(), run.pids());
            finished.set(true);
            LOG.info("cluster {} ready, leader {}", run.layout().scope(), leader);
            return new Result(run.layout(), leader, run.passwordFile(), restart);
        } catch (RuntimeException e) {
            if (finished.compareAndSet(false, true)) {
                undo(run);
            }
            throw e instanceof LocalException le ? le : new LocalException(LocalException.FAILED, String.valueOf(e.getMessage()), e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(undoOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    private void startAll(Run run) {
        LocalLayout l = run.layout();
        EtcdCluster etcd = new EtcdCluster(l, run.bin().etcd());
        etcd.start(run.processes(), run.pids());
        etcd.awaitHealthy(ETCD_TIMEOUT, run.processes());
        for (LocalLayout.Member m : l.members()) {
            if (run.pids().agent(m.name()) == null) {
                long pid = run.processes().start("agent " + m.name(), run.options().agent().command(l.agentConfig(m)),
                        l.agentLog(m), l.memberDir(m), l.agentConfig(m).toString());
                run.pids().setAgent(m.name(), pid);
            }
        }
        writeClusterFile(l, run.passwordFile(), run.pids());
        for (LocalLayout.Member m : l.members()) {
            if (run.pids().pgbouncer(m.name()) == null) {
                long pid = run.processes().start("PgBouncer " + m.name(),
                        List.of(run.bin().pgbouncer().toString(), "-q", l.pgbouncerConfig(m).toString()),
                        l.pgbouncerLog(m), l.memberDir(m), l.pgbouncerConfig(m).toString());
                run.pids().setPgbouncer(m.name(), pid);
            }
        }
        if (run.pids().haproxy() == null) {
            Commands.run(List.of(run.bin().haproxy().toString(), "-c", "-q", "-f", l.haproxyConfig().toString()),
                    "validate " + l.haproxyConfig());
            long pid = run.processes().start("HAProxy", List.of(run.bin().haproxy().toString(), "-f",
                    l.haproxyConfig().toString()), l.haproxyLog(), l.haproxyDir(), l.haproxyConfig().toString());
            run.pids().setHaproxy(pid);
            writeString(l.haproxyPidFile(), pid + "\n");
        }
        writeClusterFile(l, run.passwordFile(), run.pids());
        LOG.info("all processes started; waiting up to {} s for a leader and streaming standbys",
                run.options().timeout().toSeconds());
    }

    /** A message naming a process this run started that has exited, with the last line of its log, or null. */
    private static String exitedMessage(Run run) {
        for (LocalProcesses.Started s : run.processes().started()) {
            if (run.processes().exited(s.what())) {
                Path log = logOf(run.layout(), s.what());
                return s.what() + " exited; " + log + " ends with: " + lastLine(log);
            }
        }
        return null;
    }

    private static Path logOf(LocalLayout l, String what) {
        String[] parts = what.split(" ", 2);
        return switch (parts[0]) {
            case "etcd" -> l.etcdLog(l.etcd().stream().filter(e -> e.name().equals(parts[1])).findFirst().orElseThrow());
            case "agent" -> l.agentLog(l.member(parts[1]));
            case "PgBouncer" -> l.pgbouncerLog(l.member(parts[1]));
            default -> l.haproxyLog();
        };
    }

    /** Stops what this run started (and nothing else). */
    private static void undo(Run run) {
        Pids started = new Pids();
        List<String> agentsStarted = new ArrayList<>();
        for (LocalProcesses.Started s : run.processes().started()) {
            String[] parts = s.what().split(" ", 2);
            switch (parts[0]) {
                case "etcd" -> started.setEtcd(parts[1], s.pid());
                case "agent" -> {
                    started.setAgent(parts[1], s.pid());
                    agentsStarted.add(parts[1]);
                }
                case "PgBouncer" -> started.setPgbouncer(parts[1], s.pid());
                case "HAProxy" -> started.setHaproxy(s.pid());
                default -> throw new IllegalStateException("unknown process " + s.what());
            }
        }
        List<String> left = new ClusterStopper(run.layout(), new AgentRest()).stop(started, agentsStarted, false);
        if (!left.isEmpty()) {
            LOG.error("could not stop: {}", String.join(", ", left));
        }
    }

    private static LocalSecrets prepareDirectory(LocalLayout layout, Binaries bin, ServiceUser user, Path jar,
                                                 io.pgha.config.DcsReplication replication) {
        user.ensureExists(bin.useradd());
        LocalSecrets secrets = LocalSecrets.loadOrCreate(layout.secretsDir());
        new LocalConfigs(layout, secrets, bin.pgBinDir(), replication).writeAll();
        user.own(layout.dir(), List.of(layout.secretsDir()));
        user.checkAccess(layout.dir(), true);
        user.checkAccess(jar, false);
        return secrets;
    }

    private static Map<String, String> environment(LocalLayout layout, ServiceUser user, String path) {
        return Map.of(
                "PATH", path == null || path.isBlank() ? "/usr/local/bin:/usr/bin:/bin" : path,
                "HOME", layout.dir().toString(),
                "USER", user.name(),
                "LOGNAME", user.name(),
                "LANG", "C.UTF-8",
                // glibc's per-thread malloc arenas are a JVM's largest avoidable native overhead
                "MALLOC_ARENA_MAX", "2");
    }

    private static PgQueries pg(Run run) {
        return new PgQueries(run.secrets().superuser().username(), run.secrets().superuser().password());
    }

    private static void writeClusterFile(LocalLayout layout, Path passwordFile, Pids pids) {
        ClusterFile.of(layout, LocalSecrets.SUPERUSER, passwordFile, pids).write(layout.clusterFile());
    }

    private static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(s -> !s.isBlank()).toList();
            return lines.isEmpty() ? "(empty)" : lines.get(lines.size() - 1).strip();
        } catch (IOException | UncheckedIOException e) {
            return "(no log)";
        }
    }
}
