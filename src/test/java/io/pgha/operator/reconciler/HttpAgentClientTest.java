package io.pgha.operator.reconciler;

import io.pgha.contract.ClusterView;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpAgentClientTest {

    static final String CLUSTER = """
            {"members": [
              {"name": "shop-0", "role": "leader", "state": "running", "timeline": 3},
              {"name": "shop-1", "role": "sync_standby", "state": "streaming", "timeline": 3, "lag": 0},
              {"name": "shop-2", "role": "replica", "state": "starting", "lag": "unknown", "pending_restart": true}
            ]}""";

    @Test
    void patronisClusterViewBecomesMemberReports() throws Exception {
        List<AgentClient.MemberReport> r = HttpAgentClient.parseCluster(CLUSTER);
        assertThat(r).containsExactly(
                new AgentClient.MemberReport("shop-0", "primary", "running", 3L, 0L, false),
                new AgentClient.MemberReport("shop-1", "replica", "streaming", 3L, 0L, false),
                new AgentClient.MemberReport("shop-2", "replica", "starting", null, null, true));
        assertThat(r.get(1).isHealthyStandby()).isTrue();
        assertThat(r.get(2).isHealthyStandby()).as("lag unknown").isFalse();
    }

    @Test
    void talksToARealHttpEndpointAndTreatsSilenceAsDown() throws Exception {
        List<String> posted = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cluster", ex -> {
            byte[] b = CLUSTER.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/switchover", ex -> {
            posted.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        try {
            HttpAgentClient client = new HttpAgentClient();
            int port = server.getAddress().getPort();
            assertThat(client.cluster("127.0.0.1", port)).hasValueSatisfying(r -> assertThat(r).hasSize(3));
            assertThat(client.switchover("127.0.0.1", port, new io.pgha.config.Credentials("pgha", "pw"), "shop-0", "shop-1"))
                    .isTrue();
            // Basic base64("pgha:pw")
            assertThat(posted).containsExactly("POST Basic cGdoYTpwdw== {\"leader\":\"shop-0\",\"candidate\":\"shop-1\"}");
        } finally {
            server.stop(0);
        }
        assertThat(new HttpAgentClient().cluster("127.0.0.1", server.getAddress().getPort())).isEmpty();
    }
}
