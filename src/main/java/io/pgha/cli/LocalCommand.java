package io.pgha.cli;

import io.pgha.local.AgentLaunch;
import io.pgha.local.ConnectionInfo;
import io.pgha.local.LocalDown;
import io.pgha.local.LocalException;
import io.pgha.local.LocalLayout;
import io.pgha.local.LocalStatus;
import io.pgha.local.LocalUp;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgha local up|status|down --dir DIR}: wiring only; the work is in io.pgha.local. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run a whole HA cluster on this machine: 3 etcd, N members (PostgreSQL + agent + PgBouncer), HAProxy.",
        subcommands = {LocalCommand.Up.class, LocalCommand.Status.class, LocalCommand.Down.class})
public final class LocalCommand implements Callable<Integer> {

    /** Overrides the agents' JVM flags (whitespace-separated), e.g. for profiling. */
    static final String AGENT_JAVA_OPTS_ENV = "PGHA_AGENT_JAVA_OPTS";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Create (or restart) a local cluster in DIR and return once a leader is elected and every "
                    + "standby streams; the processes keep running.",
                    "Ports from the base B: HAProxy read-write B, read-only B+1, stats B+2; etcd clients B+11..13, "
                            + "peers B+21..23; member k: PostgreSQL B+100+k, PgBouncer B+200+k, REST API B+300+k.",
                    "Exit codes: 0 ready, 1 failed (everything this run started is stopped again), 2 bad input."})
    static final class Up implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Cluster directory (new, empty, or an existing local cluster).")
        Path dir;
        @Option(names = "--members", description = "Number of members m1..mN (default " + LocalLayout.DEFAULT_MEMBERS + ").")
        Integer members;
        @Option(names = "--scope", description = "Cluster name (default " + LocalLayout.DEFAULT_SCOPE + ").")
        String scope;
        @Option(names = "--port-base", description = "First port (default " + LocalLayout.DEFAULT_PORT_BASE + ").")
        Integer portBase;
        @Option(names = "--ttl", description = "Leader lease TTL in seconds (default 6).")
        Integer ttl;
        @Option(names = "--loop-wait", description = "HA loop period in seconds (default 1).")
        Integer loopWait;
        @Option(names = "--retry-timeout", description = "DCS/PostgreSQL retry budget in seconds (default 2).")
        Integer retryTimeout;
        @Option(names = "--pg-bin-dir", description = "PostgreSQL bin directory (default: pg_config --bindir).")
        Path pgBinDir;
        @Option(names = "--pg-advertise-port-offset", description = "Members advertise their PostgreSQL (conn_url: "
                + "what standbys, pg_rewind and pg_basebackup connect to) at PostgreSQL port + N, where a proxy must "
                + "forward to the PostgreSQL port, e.g. pgha chaos's delaying proxy (default 0: no proxy). Recorded "
                + "with the cluster.")
        Integer pgAdvertisePortOffset;
        @Option(names = "--etcd-port-offset", description = "The agents reach etcd at its client ports + N, where a proxy "
                + "must forward to the client ports, e.g. pgha chaos's delaying proxy for its slow-etcd fault (default 0: "
                + "no proxy). Recorded with the cluster.")
        Integer etcdPortOffset;
        @Option(names = "--replication", defaultValue = "async", description = "async, sync (Patroni's synchronous_mode) or "
                + "strict-sync (synchronous_mode_strict: no commit without a synchronous standby); set when the "
                + "cluster is created (default ${DEFAULT-VALUE}).")
        String replication;
        @Option(names = "--sync-standbys", defaultValue = "1", description = "Synchronous standbys with sync or strict-sync "
                + "(synchronous_node_count, default ${DEFAULT-VALUE}).")
        int syncStandbys;
        @Option(names = "--failsafe", description = "Failsafe mode: a primary that loses etcd keeps running while every member "
                + "answers it (failsafe_mode); set when the cluster is created.")
        boolean failsafe;
        @Option(names = "--timeout", defaultValue = "180", description = "Seconds to wait for the cluster to be ready (default ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() {
            return report("up", () -> {
                io.pgha.config.DcsReplication repl;
                if (syncStandbys != 1 && replication.equalsIgnoreCase("async")) {
                    throw LocalException.badInput("--sync-standbys needs --replication sync or strict-sync");
                }
                try {
                    repl = io.pgha.config.DcsReplication.of(replication, syncStandbys, failsafe);
                } catch (IllegalArgumentException e) {
                    throw io.pgha.local.LocalException.badInput("--replication/--sync-standbys: " + e.getMessage());
                }
                String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
                LocalUp.Result r = new LocalUp().run(new LocalUp.Options(dir, members, scope, portBase, ttl, loopWait,
                        retryTimeout, pgBinDir, Duration.ofSeconds(timeoutSeconds),
                        new AgentLaunch(Path.of(System.getProperty("java.home"), "bin", "java"), agentJvmFlags(), pghaJar()),
                        Arrays.stream(path.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList(),
                        path, pgAdvertisePortOffset, repl, etcdPortOffset));
                System.out.print(ConnectionInfo.render(r));
                return 0;
            });
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show each member's role, state, timeline and lag (like patronictl list).",
                    "Exit code 1 when a member's agent does not answer."})
    static final class Status implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Cluster directory.")
        Path dir;

        @Override
        public Integer call() {
            return report("status", () -> {
                LocalStatus.Report r = new LocalStatus().run(dir);
                System.out.print(r.text());
                return r.allReachable() ? 0 : 1;
            });
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = {"Stop every process of the cluster in DIR (data is kept; 'up' starts it again).",
                    "Exit code 0 when nothing of the cluster runs any more."})
    static final class Down implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Cluster directory.")
        Path dir;

        @Override
        public Integer call() {
            return report("down", () -> {
                List<String> left = new LocalDown().run(dir);
                if (!left.isEmpty()) {
                    System.err.println("pgha local down: still running: " + String.join(", ", left));
                    return 1;
                }
                System.out.println("pgha local cluster in " + dir.toAbsolutePath().normalize() + " stopped");
                return 0;
            });
        }
    }

    /** Runs {@code action}; a failure becomes one line on stderr and its exit code. */
    static int report(String command, Supplier<Integer> action) {
        try {
            return action.get();
        } catch (LocalException e) {
            System.err.println("pgha local " + command + ": " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            System.err.println("pgha local " + command + ": failed: " + e);
            return LocalException.FAILED;
        }
    }

    static List<String> agentJvmFlags() {
        String override = System.getenv(AGENT_JAVA_OPTS_ENV);
        if (override == null || override.isBlank()) {
            return AgentLaunch.SMALL_FOOTPRINT_JVM_FLAGS;
        }
        return Arrays.stream(override.trim().split("\\s+")).toList();
    }

    /** The jar this pgha runs from (or -Dpgha.jar, e.g. in tests that run from classes). */
    static Path pghaJar() {
        String property = System.getProperty("pgha.jar");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        try {
            Path p = Path.of(LocalCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (p.toString().endsWith(".jar")) {
                return p.toAbsolutePath();
            }
        } catch (Exception e) {
            // fall through
        }
        throw LocalException.badInput("cannot tell which pgha.jar to start the agents from: run pgha with java -jar, "
                + "or pass -Dpgha.jar=PATH");
    }
}
