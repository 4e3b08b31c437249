package io.pgha.agent.rest;

import static io.pgha.agent.rest.NodeStatusFixture.leader;
import static io.pgha.agent.rest.NodeStatusFixture.replica;
import static io.pgha.agent.rest.NodeStatusFixture.stopped;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerClientTest {

    private static final Duration TIMEOUT = Duration.ofMillis(700);

    private final PeerClient client = new PeerClient(TIMEOUT);
    private final Map<String, RestApi> servers = new LinkedHashMap<>();

    @AfterEach
    void stopServers() {
        servers.values().forEach(RestApi::close);
    }

    @Test
    void readsPrimaryAndReplicaReports() {
        NodeStatus primary = leader().with(n -> n.timeline = 3).build();
        NodeStatus standby = replica().with(n -> {
            n.receivedLocation = 90_000L;
            n.replayedLocation = 80_000L;
            n.tags.put("nofailover", true);
        }).build();

        Map<String, PeerReport> reports = client.fetchAll(Map.of(
                "node1", urlOf("node1", primary), "node2", urlOf("node2", standby)));

        assertThat(reports.get("node1")).isEqualTo(
                new PeerReport("node1", true, true, 67_108_960L, 3, "running", Map.of(), false));
        assertThat(reports.get("node2")).isEqualTo(
                new PeerReport("node2", true, false, 90_000L, 1, "running", Map.of("nofailover", true), false));
    }

    @Test
    void aPeerWithoutWalPositionsCountsAsUnreachableLikeInPatroni() {
        Map<String, PeerReport> reports = client.fetchAll(Map.of("node3", urlOf("node3", stopped().build())));

        assertThat(reports.get("node3").reachable()).isFalse();
    }

    @Test
    void aClosedPortIsReportedUnreachableQuickly() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }

        long start = System.nanoTime();
        Map<String, PeerReport> reports = client.fetchAll(
                Map.of("gone", "http://127.0.0.1:" + closedPort + "/patroni"));

        assertThat(reports.get("gone")).isEqualTo(PeerReport.unreachable("gone"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
    }

    @Test
    void aPeerThatNeverAnswersDoesNotDelayTheOthersBeyondTheTimeout() throws Exception {
        // The kernel completes the TCP handshake for the backlog, but nobody ever reads or replies.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Map<String, String> peers = new LinkedHashMap<>();
            peers.put("hung", "http://127.0.0.1:" + silent.getLocalPort() + "/patroni");
            peers.put("node2", urlOf("node2", replica().build()));

            long start = System.nanoTime();
            Map<String, PeerReport> reports = client.fetchAll(peers);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(reports.keySet()).containsExactly("hung", "node2");
            assertThat(reports.get("hung").reachable()).isFalse();
            assertThat(reports.get("node2").reachable()).isTrue();
            // the bound that matters: a hung peer costs about the timeout, not more (generous for a loaded CI machine)
            assertThat(took).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50)).isLessThan(TIMEOUT.multipliedBy(4));
        }
    }

    @Test
    void aMalformedUrlIsUnreachable() {
        assertThat(client.fetchAll(Map.of("bad", "not a url")).get("bad").reachable()).isFalse();
    }

    private String urlOf(String name, NodeStatus status) {
        RestApi api = new RestApi("127.0.0.1", 0, () -> status);
        api.start();
        servers.put(name, api);
        return "http://127.0.0.1:" + api.port() + "/patroni";
    }
}
