package io.pgha.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.chaos.ChaosRun;
import io.pgha.chaos.ChaosCleanup;
import io.pgha.chaos.FaultKind;
import io.pgha.chaos.FaultResult;
import io.pgha.chaos.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pgha chaos run|summary|cleanup}: the fault-injection harness; wiring only, the work is in io.pgha.chaos. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Fault injection against a pgha local cluster: a writer and per-member probers run while faults "
                + "hit the primary; then lost acknowledged commits, overlapping writable members, recovery and rejoin "
                + "are checked. Needs root (kill, iptables, cgroups).",
        subcommands = {ChaosCommand.Run.class, ChaosCommand.Summarize.class, ChaosCommand.Cleanup.class})
public final class ChaosCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run N faults of each kind on the cluster in DIR (created with pgha local up if DIR holds none, "
                    + "and stopped again at the end unless --keep-cluster).",
                    "Faults: kill-primary, kill-postgres, sigstop-agent, etcd-member, etcd-quorum, partition, "
                            + "fence-thread-death, slow-etcd.",
                    "Results in RESULTS: results.jsonl (one line per fault), attempts.jsonl (every write), summary.md, "
                            + "run.json, local.log.",
                    "Exit codes: 0 clean; 1 an acknowledged commit was lost or two members acknowledged writes at the "
                            + "same time; 2 bad input; 3 writes or members did not recover within the bounds."})
    static final class Run implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "The pgha local cluster directory.")
        Path dir;
        @Option(names = "--results", defaultValue = "/tmp/pgha-chaos", description = "Results directory (default ${DEFAULT-VALUE}).")
        Path results;
        @Option(names = "--faults", defaultValue = "kill-primary,kill-postgres,sigstop-agent,etcd-member,etcd-quorum,partition,"
                + "fence-thread-death,slow-etcd",
                description = "Comma-separated fault kinds (default: all).")
        String faults;
        @Option(names = "--count", defaultValue = "1", description = "Faults of each kind (default ${DEFAULT-VALUE}).")
        int count;
        @Option(names = "--interleave", description = "Alternate the kinds (k1 k2 k1 k2 ...) instead of N of each in a row.")
        boolean interleave;
        @Option(names = "--hold", description = "Seconds a fault lasts where the harness ends it (SIGSTOP, partition, etcd down); default 2 x ttl.")
        Integer holdSeconds;
        @Option(names = "--recovery-timeout", defaultValue = "60", description = "kill-primary: seconds to wait for writes on a new primary before restarting the member (default ${DEFAULT-VALUE}).")
        int recoveryTimeout;
        @Option(names = "--rejoin-timeout", defaultValue = "180", description = "Seconds for the cluster to be whole again after a fault (default ${DEFAULT-VALUE}).")
        int rejoinTimeout;
        @Option(names = "--write-interval-ms", defaultValue = "25", description = "Writer: one INSERT every N ms (default ${DEFAULT-VALUE}).")
        int writeIntervalMs;
        @Option(names = "--probe-interval-ms", defaultValue = "200", description = "Probers: one write per member every N ms (default ${DEFAULT-VALUE}).")
        int probeIntervalMs;
        @Option(names = "--outage-threshold-ms", defaultValue = "500", description = "A gap between acknowledged writes longer than this is an outage (default ${DEFAULT-VALUE}).")
        int outageThresholdMs;
        @Option(names = "--run-gap-ms", defaultValue = "1000", description = "A member not seen acknowledging for this long has stopped being writable (default ${DEFAULT-VALUE}).")
        int runGapMs;
        @Option(names = "--seed", description = "Random seed (fault phase, etcd victims); default: time.")
        Long seed;
        @Option(names = "--port-base", defaultValue = "61000", description = "New cluster: port base (default ${DEFAULT-VALUE}: above the kernel's usual ephemeral port range, 32768-60999, so no outgoing connection takes the port of a process that is down).")
        int portBase;
        @Option(names = "--members", defaultValue = "3", description = "New cluster: members (default ${DEFAULT-VALUE}).")
        int members;
        @Option(names = "--up-arg", description = "New cluster: an extra argument for pgha local up (repeatable), e.g. --up-arg=--replication=sync.")
        List<String> upArgs = new ArrayList<>();
        @Option(names = "--replication-delay-ms", defaultValue = "0", description = "Put a proxy delaying each direction by N ms "
                + "into the replication path (needs a cluster created with --pg-advertise-port-offset, which a new one gets); "
                + "default 0: none.")
        int replicationDelayMs;
        @Option(names = "--proxy-port-offset", defaultValue = "400", description = "New cluster with delay: proxies listen on PostgreSQL port + N (default ${DEFAULT-VALUE}).")
        int proxyOffset;
        @Option(names = "--slow-etcd-ms", defaultValue = "800", description = "slow-etcd: every etcd call of every agent "
                + "takes N ms longer, half each way (default ${DEFAULT-VALUE}; 1..10000).")
        int slowEtcdMs;
        @Option(names = "--etcd-proxy-port-offset", defaultValue = "470", description = "New cluster with slow-etcd: the agents "
                + "reach etcd through proxies at its client ports + N (pgha local up --etcd-port-offset; default ${DEFAULT-VALUE}).")
        int etcdProxyOffset;
        @Option(names = "--allow-loss", description = "Lost acknowledged commits do not fail the run (asynchronous replication).")
        boolean allowLoss;
        @Option(names = "--keep-cluster", description = "Leave a cluster this run created running.")
        boolean keepCluster;

        @Override
        public Integer call() {
            List<FaultKind> kinds;
            try {
                kinds = Arrays.stream(faults.split(",")).filter(f -> !f.isBlank()).map(FaultKind::of).toList();
            } catch (IllegalArgumentException e) {
                System.err.println("pgha chaos run: " + e.getMessage());
                return 2;
            }
            if (kinds.isEmpty() || count < 1) {
                System.err.println("pgha chaos run: give at least one fault kind and --count >= 1");
                return 2;
            }
            if (slowEtcdMs < 1 || slowEtcdMs > 10_000 || etcdProxyOffset < 1 || etcdProxyOffset > 5000) {
                System.err.println("pgha chaos run: --slow-etcd-ms must be 1..10000 and --etcd-proxy-port-offset 1..5000");
                return 2;
            }
            ChaosRun.Settings s = new ChaosRun.Settings(dir.toAbsolutePath().normalize(), results.toAbsolutePath().normalize(),
                    kinds, count, interleave, Duration.ofMillis(writeIntervalMs), Duration.ofMillis(probeIntervalMs),
                    holdSeconds == null ? null : Duration.ofSeconds(holdSeconds), Duration.ofSeconds(recoveryTimeout),
                    Duration.ofSeconds(rejoinTimeout), Duration.ofMillis(outageThresholdMs), Duration.ofMillis(runGapMs),
                    seed != null ? seed : System.nanoTime(), upArgs, members, portBase, Duration.ofMillis(replicationDelayMs),
                    proxyOffset, !allowLoss, keepCluster,
                    List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                            LocalCommand.pghaJar().toString()), etcdProxyOffset, Duration.ofMillis(slowEtcdMs));
            try {
                return new ChaosRun(s).run();
            } catch (IllegalArgumentException e) {
                System.err.println("pgha chaos run: " + e.getMessage());
                return 2;
            } catch (RuntimeException e) {
                System.err.println("pgha chaos run: failed: " + e);
                return ChaosRun.NOT_RECOVERED;
            }
        }
    }

    @Command(name = "summary", mixinStandardHelpOptions = true,
            description = "Print the table per fault kind from RESULTS/results.jsonl (of one or several runs).")
    static final class Summarize implements Callable<Integer> {
        @Option(names = "--results", defaultValue = "/tmp/pgha-chaos", description = "Results directory (default ${DEFAULT-VALUE}).")
        Path results;

        @Override
        public Integer call() throws IOException {
            ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            List<FaultResult> rs = new ArrayList<>();
            for (String line : Files.readAllLines(results.resolve("results.jsonl"))) {
                if (!line.isBlank()) {
                    rs.add(json.readValue(line, FaultResult.class));
                }
            }
            System.out.print(Summary.markdown(Summary.rows(rs)));
            return 0;
        }
    }

    @Command(name = "cleanup", mixinStandardHelpOptions = true,
            description = "Undo what an interrupted run left behind, as recorded in RESULTS/undo.json: SIGCONT to a "
                    + "stopped agent, the partition's iptables chain and cgroups. Touches nothing else.")
    static final class Cleanup implements Callable<Integer> {
        @Option(names = "--results", defaultValue = "/tmp/pgha-chaos", description = "Results directory (default ${DEFAULT-VALUE}).")
        Path results;

        @Override
        public Integer call() {
            System.out.println(ChaosCleanup.run(results.resolve("undo.json")));
            return 0;
        }
    }
}
