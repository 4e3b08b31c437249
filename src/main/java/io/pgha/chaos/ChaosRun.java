package io.pgha.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pgha.local.LocalLayout;
import io.pgha.local.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The harness's loop on one {@code pgha local} cluster: a writer through HAProxy and a prober per member run
 * throughout; before each fault the cluster must be whole (a leader, every member streaming from it, etcd
 * healthy, writes flowing), then the fault, then a bounded wait for the cluster to be whole again, then the
 * checks. Results go to RESULTS as JSON lines (results.jsonl, attempts.jsonl) and a table (summary.md).
 */
public final class ChaosRun {

    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int WRITES_WHEN_WHOLE = 5;
    /** Acknowledgements before a fault's window that still count for the runs of writable members in it. */
    private static final long LOOKBACK_US = 10_000_000L;

    /** Exit codes of a run. */
    public static final int CLEAN = 0;
    public static final int PROMISE_BROKEN = 1;
    public static final int NOT_RECOVERED = 3;

    /**
     * @param createArgs       extra arguments for {@code pgha local up} when DIR holds no cluster yet (e.g.
     *                         --replication sync); --port-base and --members are added from this record
     * @param hold             length of the faults the harness ends itself; null = 2 × ttl
     * @param replicationDelay one-way delay of the proxies put in the replication path; zero = no proxies
     * @param proxyOffset      the proxies listen on PostgreSQL port + this (--pg-advertise-port-offset)
     * @param lossIsFailure    whether a lost acknowledged commit makes the run fail (not in async mode)
     * @param pgha             the command that runs pgha (java -jar JAR)
     * @param etcdProxyOffset  slow-etcd: the agents reach etcd at its client ports + this (--etcd-port-offset)
     * @param slowEtcdCall     slow-etcd: how much longer every etcd call takes (half of it each way)
     */
    public record Settings(Path dir, Path results, List<FaultKind> kinds, int count, boolean interleave,
                           Duration writeInterval, Duration probeInterval, Duration hold, Duration recoveryTimeout,
                           Duration rejoinTimeout, Duration outageThreshold, Duration runGap, long seed,
                           List<String> createArgs, int members, int portBase, Duration replicationDelay,
                           int proxyOffset, boolean lossIsFailure, boolean keepCluster, List<String> pgha,
                           int etcdProxyOffset, Duration slowEtcdCall) {}

    private final Settings s;
    private final String run;
    private final HttpProbe http = new HttpProbe();
    private final Set<Long> lostWrites = new HashSet<>();
    private final Set<String> lostProbes = new HashSet<>();
    private final List<long[]> windows = new ArrayList<>();
    private ClusterHandle cluster;
    private ClusterHealth health;
    private Sql sql;
    private AttemptLog attempts;

    public ChaosRun(Settings settings) {
        this.s = settings;
        this.run = "chaos-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"));
    }

    public int run() {
        createDirectory(s.results());
        UndoJournal journal = UndoJournal.load(s.results().resolve("undo.json"));
        if (!journal.empty()) {
            throw new IllegalArgumentException(s.results().resolve("undo.json") + " records changes a previous run did not "
                    + "undo; run pgha chaos cleanup --results " + s.results() + " first");
        }
        Cgroups cgroups = s.kinds().contains(FaultKind.PARTITION) ? new Cgroups(Cgroups.findRoot()) : null;
        cluster = new ClusterHandle(s.dir(), s.pgha(), s.results().resolve("local.log"));
        Thread undoOnExit = new Thread(() -> {
            cluster.stopLocalCommand();
            if (!journal.empty()) {
                journal.undoAll(cgroups != null ? cgroups : new Cgroups(Cgroups.findRoot()));
            }
        }, "pgha-chaos-undo");
        Runtime.getRuntime().addShutdownHook(undoOnExit);
        boolean create = !cluster.exists();
        Map<String, DelayProxy> proxies = Proxies.replication(create ? null : cluster.layout(), s.dir(), s.members(),
                s.portBase(), s.proxyOffset(), s.replicationDelay());
        Map<String, DelayProxy> etcdProxies = new LinkedHashMap<>();
        // a cluster created for slow-etcd has its agents reach etcd through the proxies only: serve them whatever the kinds
        if (s.kinds().contains(FaultKind.SLOW_ETCD)
                || (!create && cluster.layout().etcd().stream().anyMatch(e -> e.agentPort() != e.clientPort()))) {
            try {
                etcdProxies.putAll(Proxies.etcd(create ? null : cluster.layout(), s.dir(), s.portBase(), s.etcdProxyOffset()));
            } catch (RuntimeException e) {
                proxies.values().forEach(DelayProxy::close);
                throw e;
            }
        }
        List<MemberProber> probers = new ArrayList<>();
        AckWriter writer = null;
        try {
            startCluster(create);
            warnAboutEphemeralPorts();
            sql = new Sql(cluster.superuser(), cluster.password());
            health = new ClusterHealth(cluster, http, sql);
            createTables();
            attempts = new AttemptLog(s.results().resolve("attempts.jsonl"));
            writer = new AckWriter(sql, cluster.layout().haproxy().readWrite(), run, s.writeInterval(), attempts,
                    cluster::memberOfPort);
            start(writer, "chaos-writer");
            for (LocalLayout.Member m : cluster.layout().members()) {
                MemberProber p = new MemberProber(sql, m.name(), m.postgresPort(), run, s.probeInterval(), attempts);
                probers.add(p);
                start(p, "chaos-probe-" + m.name());
            }
            Duration hold = s.hold() != null ? s.hold() : Duration.ofSeconds(2L * cluster.ttl());
            String id = "pgha-chaos-" + ProcessHandle.current().pid();
            FaultContext ctx = new FaultContext(cluster, health, attempts, journal,
                    cgroups == null ? null : new NetworkPartition(cgroups, id, journal), proxies, etcdProxies,
                    new Random(s.seed()),
                    hold, s.recoveryTimeout(), s.rejoinTimeout());
            writeMeta(hold, create);
            List<FaultResult> results = new ArrayList<>();
            String aborted = loop(ctx, results);
            writer.stop();
            probers.forEach(MemberProber::stop);
            return finish(results, aborted);
        } finally {
            if (writer != null) {
                writer.abandon();
            }
            probers.forEach(MemberProber::abandon);
            if (attempts != null) {
                attempts.close();
            }
            if (!journal.empty()) {
                journal.undoAll(cgroups);
            }
            collectLogs();
            if (create && !s.keepCluster()) {
                cluster.down();
            } else if (!proxies.isEmpty() || !etcdProxies.isEmpty()) {
                LOG.warn("the cluster in {} stays up, but its proxies stop with this run: its standbys cannot stream "
                        + "(replication proxies) or its agents cannot reach etcd (etcd proxies) until they run again", s.dir());
            }
            proxies.values().forEach(DelayProxy::close);
            etcdProxies.values().forEach(DelayProxy::close);
            try {
                Runtime.getRuntime().removeShutdownHook(undoOnExit);
            } catch (IllegalStateException shuttingDown) {
                LOG.info("shutting down: the undo hook runs anyway");
            }
        }
    }

    /** Copies the members' and etcd's logs into RESULTS/logs, so they outlive the cluster directory. */
    private void collectLogs() {
        if (!cluster.exists()) {
            return;
        }
        Path logs = s.results().resolve("logs");
        createDirectory(logs);
        LocalLayout l = cluster.layout();
        List<Path> files = new ArrayList<>();
        for (LocalLayout.Member m : l.members()) {
            files.addAll(List.of(l.agentLog(m), l.dataDir(m).resolveSibling("data.log"), l.pgbouncerLog(m)));
        }
        l.etcd().forEach(e -> files.add(l.etcdLog(e)));
        files.add(l.haproxyLog());
        for (Path f : files) {
            if (Files.isRegularFile(f)) {
                Path target = logs.resolve(l.dir().relativize(f).toString().replace('/', '-'));
                try {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    LOG.warn("cannot copy {} to {}: {}", f, target, e.getMessage());
                }
            }
        }
        LOG.info("logs of the cluster copied to {}", logs);
    }

    /**
     * Warns when the cluster's ports lie in the kernel's ephemeral port range: while a process is down (etcd
     * killed, PostgreSQL restarting) an outgoing connection may take its port, and the restart then fails
     * with the port in use. Seen once in 180 faults with base 42000; ports above the range (61000-65535 by
     * default) avoid it.
     */
    private void warnAboutEphemeralPorts() {
        try {
            String[] range = String.join(" ", Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))).trim().split("\\s+");
            int low = Integer.parseInt(range[0]);
            int high = Integer.parseInt(range[1]);
            List<Integer> clash = cluster.layout().allPorts().stream().filter(p -> p >= low && p <= high).toList();
            if (!clash.isEmpty()) {
                LOG.warn("ports {}..{} of the cluster lie in the kernel's ephemeral port range {}-{}: an outgoing connection "
                        + "can take the port of a process that is down, and restarting it then fails (use a port base "
                        + "above {})", clash.get(0), clash.get(clash.size() - 1), low, high, high);
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("cannot read the ephemeral port range: {}", e.getMessage());
        }
    }

    private void startCluster(boolean create) {
        List<String> args = new ArrayList<>();
        if (create) {
            args.addAll(List.of("--port-base", Integer.toString(s.portBase()), "--members", Integer.toString(s.members())));
            if (!s.replicationDelay().isZero()) {
                args.addAll(List.of("--pg-advertise-port-offset", Integer.toString(s.proxyOffset())));
            }
            if (s.kinds().contains(FaultKind.SLOW_ETCD)) {
                args.addAll(List.of("--etcd-port-offset", Integer.toString(s.etcdProxyOffset())));
            }
            args.addAll(s.createArgs());
        }
        int code = cluster.up(args);
        if (code != 0) {
            throw new IllegalStateException("pgha local up failed (exit code " + code + "; see " + s.results().resolve("local.log") + ")");
        }
    }

    private void createTables() {
        try (Connection c = sql.connect(cluster.layout().haproxy().readWrite(), "pgha-chaos", 5, true);
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS chaos_writes(run text NOT NULL, id bigint NOT NULL, "
                    + "at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (run, id))");
            st.execute("CREATE TABLE IF NOT EXISTS chaos_probes(run text NOT NULL, member text NOT NULL, seq bigint NOT NULL, "
                    + "at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (run, member, seq))");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the tables through HAProxy: " + Sql.describe(e), e);
        }
    }

    private void writeMeta(Duration hold, boolean created) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("run", run);
        meta.put("dir", s.dir().toString());
        meta.put("created", created);
        meta.put("createArgs", s.createArgs());
        meta.put("kinds", s.kinds().stream().map(FaultKind::label).toList());
        meta.put("count", s.count());
        meta.put("ttl", cluster.ttl());
        meta.put("loopWait", cluster.loopWait());
        meta.put("holdSeconds", hold.toSeconds());
        meta.put("replicationDelayMs", s.replicationDelay().toMillis());
        meta.put("slowEtcdCallMs", s.kinds().contains(FaultKind.SLOW_ETCD) ? s.slowEtcdCall().toMillis() : 0);
        meta.put("writeIntervalMs", s.writeInterval().toMillis());
        meta.put("probeIntervalMs", s.probeInterval().toMillis());
        meta.put("outageThresholdMs", s.outageThreshold().toMillis());
        meta.put("seed", s.seed());
        try {
            JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(s.results().resolve("run.json").toFile(), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run.json", e);
        }
    }

    private List<FaultKind> schedule() {
        List<FaultKind> order = new ArrayList<>();
        if (s.interleave()) {
            for (int i = 0; i < s.count(); i++) {
                order.addAll(s.kinds());
            }
        } else {
            s.kinds().forEach(k -> {
                for (int i = 0; i < s.count(); i++) {
                    order.add(k);
                }
            });
        }
        return order;
    }

    /** Runs the faults; returns why it stopped early, or null. */
    private String loop(FaultContext ctx, List<FaultResult> results) {
        List<FaultKind> order = schedule();
        for (int i = 0; i < order.size(); i++) {
            FaultKind kind = order.get(i);
            ClusterHealth.Verdict before = awaitWhole(s.rejoinTimeout(), MicroClock.nowMicros());
            if (!before.healthy()) {
                return "the cluster was not whole before fault " + (i + 1) + " (" + kind.label() + "): still waiting for "
                        + before.missing();
            }
            Poll.pause(Duration.ofMillis(ctx.random().nextInt(Math.max(1, cluster.loopWait() * 1000))));
            String leader = health.leader().orElse(before.leader());
            LOG.info("fault {}/{}: {} (leader {})", i + 1, order.size(), kind.label(), leader);
            Fault.Injected injected = fault(kind).inject(ctx, leader);
            ClusterHealth.Verdict after = awaitWhole(s.rejoinTimeout(), injected.faultEndUs());
            Long healthyUs = after.healthy() ? MicroClock.nowMicros() : null;
            FaultResult r = check(i + 1, kind, injected, leader, after, healthyUs, MicroClock.nowMicros());
            results.add(r);
            append(s.results().resolve("results.jsonl"), r);
            LOG.info("fault {}/{} {}: recovery {} ms, lost acked {} (writer {}, probes {}), overlaps {} ({} ms), rejoin {} ms{}",
                    i + 1, order.size(), kind.label(), r.recoveryMs(), r.lostAcked(), r.lostWrites(), r.lostProbes(),
                    r.overlapCount(), r.overlapMs(), r.rejoinMs(), r.rejoined() ? "" : " NOT REJOINED: " + after.missing());
            if (!after.healthy()) {
                return "the cluster was not whole within " + s.rejoinTimeout().toSeconds() + " s after fault " + (i + 1)
                        + " (" + kind.label() + "): still waiting for " + after.missing();
            }
        }
        return null;
    }

    private Fault fault(FaultKind kind) {
        return switch (kind) {
            case KILL_PRIMARY -> new KillPrimary();
            case KILL_POSTGRES -> new KillPostgres();
            case SIGSTOP_AGENT -> new SigstopAgent();
            case ETCD_MEMBER -> new EtcdLoss(1);
            case ETCD_QUORUM -> new EtcdLoss(2);
            case PARTITION -> new Partition();
            case FENCE_THREAD_DEATH -> new FenceThreadDeath();
            case SLOW_ETCD -> new SlowEtcd(s.slowEtcdCall());
        };
    }

    /**
     * Bounded wait until the cluster is whole and the writer has had {@value #WRITES_WHEN_WHOLE} rows
     * acknowledged by its leader since {@code sinceUs}: fresh proof that writes through HAProxy flow.
     */
    private ClusterHealth.Verdict awaitWhole(Duration timeout, long sinceUs) {
        ClusterHealth.Verdict[] last = {null};
        String[] logged = {""};
        Poll.until(timeout, POLL, () -> {
            ClusterHealth.Verdict v = health.check();
            if (v.healthy() && writerAcks(v.leader(), sinceUs) < WRITES_WHEN_WHOLE) {
                v = new ClusterHealth.Verdict(v.leader(), "writes through HAProxy acknowledged by the leader " + v.leader());
            }
            last[0] = v;
            if (!v.healthy() && !v.missing().equals(logged[0])) {
                LOG.info("waiting for {}", v.missing());
                logged[0] = v.missing();
            }
            return v.healthy();
        });
        return last[0];
    }

    private int writerAcks(String member, long sinceUs) {
        return attempts.matching(a -> a.source() == Attempt.Source.WRITER && a.ok() && a.doneUs() > sinceUs
                && member.equals(a.member())).size();
    }

    private FaultResult check(int index, FaultKind kind, Fault.Injected f, String leaderBefore,
                              ClusterHealth.Verdict after, Long healthyUs, long windowEndUs) {
        windows.add(new long[] {f.faultUs(), windowEndUs});
        String leader = after.leader() != null ? after.leader() : health.leader().orElse(null);
        List<String> notes = new ArrayList<>(List.of(f.notes()));
        List<Long> newWrites = List.of();
        List<String> newProbes = List.of();
        if (leader == null) {
            notes.add("rows not checked: no leader");
        } else {
            try {
                Lost lost = lostSoFar(leader);
                newWrites = lost.writes().stream().filter(lostWrites::add).toList();
                newProbes = lost.probes().stream().filter(lostProbes::add).toList();
            } catch (SQLException e) {
                notes.add("rows not checked: " + Sql.describe(e));
            }
        }
        List<Attempt> window = attempts.matching(a -> a.doneUs() >= f.faultUs() - LOOKBACK_US && a.doneUs() <= windowEndUs);
        List<Checker.Overlap> overlaps = Checker.within(
                Checker.overlaps(Checker.ackRuns(window, s.runGap().toNanos() / 1000)), f.faultUs(), windowEndUs);
        Checker.Recovery recovery = Checker.recovery(window, f.faultUs(), windowEndUs, s.outageThreshold().toNanos() / 1000);
        Long switchGap = Checker.switchGapUs(window, leaderBefore, f.faultUs(), windowEndUs);
        overlaps.forEach(o -> LOG.warn("OVERLAP after fault {} ({}): {} and {} both acknowledged writes from {} to {} ({} ms)",
                index, kind.label(), o.first(), o.second(), iso(o.fromUs()), iso(o.toUs()), o.durationUs() / 1000.0));
        if (!newWrites.isEmpty() || !newProbes.isEmpty()) {
            LOG.warn("LOST after fault {} ({}): writer rows {} and probe rows {} were acknowledged and are gone",
                    index, kind.label(), first(newWrites), first(newProbes));
        }
        return new FaultResult(run, index, kind.label(), f.victim(), leaderBefore, after.leader(),
                f.faultUs() / 1000.0, f.faultEndUs() / 1000.0, healthyUs == null ? null : healthyUs / 1000.0,
                windowEndUs / 1000.0,
                recovery.recoveredUs() == null ? null : recovery.recoveredUs() / 1000.0,
                recovery.outages().stream().map(FaultResult.OutageJson::of).toList(),
                newWrites.size(), first(newWrites), newProbes.size(), first(newProbes),
                overlaps.size(), overlaps.stream().mapToLong(Checker.Overlap::durationUs).sum() / 1000.0,
                overlaps.stream().map(FaultResult.OverlapJson::of).toList(),
                healthyUs == null ? null : (healthyUs - f.faultEndUs()) / 1000.0, healthyUs != null,
                switchGap == null ? null : switchGap / 1000.0, String.join("; ", notes));
    }

    private record Lost(List<Long> writes, List<String> probes) {}

    /** Acknowledged rows (acknowledged before the read began) that the leader does not have. */
    private Lost lostSoFar(String leader) throws SQLException {
        Set<Long> writes = new HashSet<>();
        Set<String> probes = new HashSet<>();
        long readUs = MicroClock.nowMicros();
        try (Connection c = sql.connect(cluster.layout().member(leader).postgresPort(), "pgha-chaos-check", 5, false)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM chaos_writes WHERE run = ?")) {
                ps.setString(1, run);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        writes.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT member || ':' || seq FROM chaos_probes WHERE run = ?")) {
                ps.setString(1, run);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        probes.add(rs.getString(1));
                    }
                }
            }
        }
        List<Attempt> acked = attempts.matching(a -> a.ok() && a.doneUs() < readUs);
        return new Lost(
                Checker.missing(acked.stream().filter(a -> a.source() == Attempt.Source.WRITER).map(Attempt::seq).toList(), writes),
                Checker.missing(acked.stream().filter(a -> a.source() == Attempt.Source.PROBE)
                        .map(a -> a.member() + ":" + a.seq()).toList(), probes));
    }

    private int finish(List<FaultResult> results, String aborted) {
        attempts.flush();
        List<Checker.Overlap> all = Checker.overlaps(Checker.ackRuns(attempts.all(), s.runGap().toNanos() / 1000));
        long outside = all.stream().filter(o -> windows.stream().noneMatch(w -> o.toUs() >= w[0] && o.fromUs() <= w[1])).count();
        List<Summary.Row> rows = Summary.rows(results);
        StringBuilder text = new StringBuilder();
        text.append("run ").append(run).append(": ").append(results.size()).append(" faults").append('\n');
        text.append(Summary.markdown(rows));
        long acked = attempts.matching(a -> a.source() == Attempt.Source.WRITER && a.ok()).size();
        text.append(String.format("%nwriter: %d rows acknowledged, %d lost in total; probes: %d lost; overlaps outside the "
                + "fault windows: %d%n", acked, lostWrites.size(), lostProbes.size(), outside));
        if (aborted != null) {
            text.append("STOPPED EARLY: ").append(aborted).append('\n');
        }
        try {
            Files.writeString(s.results().resolve("summary.md"), text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write summary.md", e);
        }
        System.out.print(text);
        boolean lost = !lostWrites.isEmpty() || !lostProbes.isEmpty();
        boolean overlapping = rows.stream().anyMatch(r -> r.overlaps() > 0) || outside > 0;
        if (overlapping || (lost && s.lossIsFailure())) {
            return PROMISE_BROKEN;
        }
        boolean unrecovered = aborted != null || rows.stream().anyMatch(r -> r.unrecovered() > 0 || r.rejoinFailures() > 0);
        return unrecovered ? NOT_RECOVERED : CLEAN;
    }

    private static <T> List<T> first(List<T> list) {
        return list.size() <= 20 ? list : list.subList(0, 20);
    }

    private static String iso(long us) {
        return java.time.Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1000).toString();
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void append(Path file, Object line) {
        try {
            Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
