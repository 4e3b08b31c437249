package io.pgha.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The local cluster's 3-member etcd: one process per member, loopback only, each with its own data directory. */
public final class EtcdCluster {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdCluster.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final LocalLayout layout;
    private final Path etcd;

    public EtcdCluster(LocalLayout layout, Path etcdBinary) {
        this.layout = layout;
        this.etcd = etcdBinary;
    }

    /** The command line of one member. On a restart etcd ignores the initial-cluster flags and uses its data. */
    List<String> command(LocalLayout.EtcdMember e) {
        String initialCluster = layout.etcd().stream().map(m -> m.name() + "=" + m.peerUrl())
                .collect(Collectors.joining(","));
        return List.of(etcd.toString(),
                "--name", e.name(),
                "--data-dir", layout.etcdDataDir(e).toString(),
                "--listen-client-urls", e.clientUrl(),
                "--advertise-client-urls", e.clientUrl(),
                "--listen-peer-urls", e.peerUrl(),
                "--initial-advertise-peer-urls", e.peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", layout.scope() + "-etcd",
                // Patroni-style agents rewrite their member keys often; keep one hour of history, not all of it
                "--auto-compaction-mode", "periodic",
                "--auto-compaction-retention", "1h",
                // etcd 3.4 only honours --log-level with the zap logger
                "--logger", "zap",
                "--log-level", "error");
    }

    /** The marker that identifies a member's process: its data directory. */
    private String marker(LocalLayout.EtcdMember e) {
        return marker(layout, e);
    }

    private static String marker(LocalLayout layout, LocalLayout.EtcdMember e) {
        return layout.etcdDataDir(e).toString();
    }

    /** Starts every member not already running (as recorded in {@code pids}) and records the new pids. */
    public void start(LocalProcesses processes, Pids pids) {
        for (LocalLayout.EtcdMember e : layout.etcd()) {
            if (OsProcess.aliveAndRuns(pids.etcd(e.name()), marker(e))) {
                LOG.info("etcd {} already running (pid {})", e.name(), pids.etcd(e.name()));
                continue;
            }
            createDataDir(e);
            long pid = processes.start("etcd " + e.name(), command(e), layout.etcdLog(e), layout.dir(), marker(e));
            pids.setEtcd(e.name(), pid);
        }
    }

    private void createDataDir(LocalLayout.EtcdMember e) {
        try {
            Files.createDirectories(layout.etcdDataDir(e).getParent());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Waits until every member reports itself healthy (a leader is elected and it can serve reads). */
    public void awaitHealthy(Duration timeout, LocalProcesses processes) {
        LOG.info("waiting for etcd to become healthy");
        boolean ok = Poll.until(timeout, Duration.ofMillis(200), () -> {
            for (LocalLayout.EtcdMember e : layout.etcd()) {
                if (processes.exited("etcd " + e.name())) {
                    throw LocalException.failed("etcd " + e.name() + " exited; see " + layout.etcdLog(e));
                }
            }
            return healthy();
        });
        if (!ok) {
            throw LocalException.failed("etcd did not become healthy within " + timeout.toSeconds() + " s; see "
                    + layout.etcdLog(layout.etcd().get(0)).getParent() + "/*.log");
        }
        LOG.info("etcd healthy at {}", String.join(",", layout.etcdHosts()));
    }

    /** Every member answers GET /health with {"health":"true"}. */
    public boolean healthy() {
        return layout.etcd().stream().allMatch(EtcdCluster::memberHealthy);
    }

    static boolean memberHealthy(LocalLayout.EtcdMember e) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(e.clientUrl() + "/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().replace(" ", "").contains("\"health\":\"true\"");
        } catch (IOException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The recorded etcd processes, for stopping. */
    static List<LocalProcesses.Target> targets(LocalLayout layout, Pids pids) {
        return layout.etcd().stream().filter(e -> pids.etcd(e.name()) != null)
                .map(e -> LocalProcesses.Target.byCommandLine("etcd " + e.name(), pids.etcd(e.name()), marker(layout, e)))
                .toList();
    }
}
