package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgha.config.DcsTiming;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts only the 3-member etcd of a local cluster, on free loopback ports in a temporary directory, as the current user. */
class LocalEtcdIT {

    private static final List<Path> SYSTEM_PATH = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"), Path.of("/bin"));

    @TempDir
    Path dir;
    private LocalProcesses processes;

    @Test
    void three_etcd_members_start_become_healthy_form_one_cluster_and_stop_leaving_nothing_behind() throws Exception {
        LocalLayout layout = layoutOnFreePorts();
        Path etcd = Binaries.which(SYSTEM_PATH, "etcd").orElseThrow(() -> new AssertionError("etcd is not installed"));
        Path setsid = Binaries.which(SYSTEM_PATH, "setsid").orElseThrow();
        processes = new LocalProcesses(setsid, ServiceUser.current(),
                Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString(), "LANG", "C.UTF-8"));
        EtcdCluster cluster = new EtcdCluster(layout, etcd);
        Pids pids = new Pids();

        cluster.start(processes, pids);
        cluster.awaitHealthy(Duration.ofSeconds(60), processes);

        assertThat(cluster.healthy()).isTrue();
        assertThat(processes.started()).extracting(LocalProcesses.Started::what)
                .containsExactly("etcd e1", "etcd e2", "etcd e3");
        for (LocalLayout.EtcdMember e : layout.etcd()) {
            assertThat(pids.etcd(e.name())).isNotNull();
            assertThat(OsProcess.commandLine(pids.etcd(e.name())).orElseThrow())
                    .as("the recorded pid is etcd itself, not setsid").startsWith(etcd.toString());
            String members = post(e.clientUrl() + "/v3/cluster/member/list", "{}");
            assertThat(members).contains("\"e1\"", "\"e2\"", "\"e3\"");
        }
        assertThat(RunningProcesses.refresh(layout, pids)).as("a restart would find etcd running")
                .containsAll(List.of(layout.etcd().get(0).clientPort(), layout.etcd().get(2).peerPort()));

        List<LocalProcesses.Target> left = LocalProcesses.stop(EtcdCluster.targets(layout, pids), OsProcess.Signal.TERM,
                Duration.ofSeconds(15), OsProcess.Signal.KILL);

        assertThat(left).isEmpty();
        for (LocalProcesses.Started s : processes.started()) {
            assertThat(OsProcess.alive(s.pid())).as(s.what()).isFalse();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> PortCheck.busy(ports(layout)).isEmpty());
    }

    @AfterEach
    void stopWhateverIsLeft() {
        if (processes != null) {
            for (LocalProcesses.Started s : processes.started()) {
                if (OsProcess.aliveAndRuns(s.pid(), s.marker())) {
                    OsProcess.signal(s.pid(), OsProcess.Signal.KILL);
                }
            }
        }
    }

    private LocalLayout layoutOnFreePorts() throws Exception {
        List<Integer> ports = freePorts(9);
        List<LocalLayout.EtcdMember> etcd = List.of(
                new LocalLayout.EtcdMember("e1", ports.get(0), ports.get(1)),
                new LocalLayout.EtcdMember("e2", ports.get(2), ports.get(3)),
                new LocalLayout.EtcdMember("e3", ports.get(4), ports.get(5)));
        return new LocalLayout(dir, "etcd-it", LocalLayout.NAMESPACE, DcsTiming.PGHA_DEFAULT, etcd,
                new LocalLayout.HaproxyPorts(ports.get(6), ports.get(7), ports.get(8)), List.of());
    }

    private static List<Integer> ports(LocalLayout l) {
        List<Integer> ports = new ArrayList<>();
        l.etcd().forEach(e -> ports.addAll(List.of(e.clientPort(), e.peerPort())));
        return ports;
    }

    /** Distinct ports the kernel just handed out; held together so none repeats, then released. */
    private static List<Integer> freePorts(int n) throws Exception {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    private static String post(String url, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
