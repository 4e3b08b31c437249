package io.pgha.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pgha.contract.Cluster;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The etcd JSON gateway protocol as etcd 3.4 speaks it, served by a stub on a free loopback port. */
class EtcdGatewayStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final Map<String, JsonNode> requests = new ConcurrentHashMap<>();
    private volatile String txnReply = "{\"header\":{\"revision\":\"9\"}}";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v3/", x -> {
            requests.put(x.getRequestURI().getPath(), JSON.readTree(x.getRequestBody()));
            String reply = switch (x.getRequestURI().getPath()) {
                case "/v3/kv/range" -> "{\"header\":{\"revision\":\"8\"},\"kvs\":["
                        + kv("/service/demo/leader", "m1", 3, 7587) + "," + kv("/service/demo/config", "{\"ttl\":30}", 5, 0) + ","
                        + kv("/service/demo/members/m1", "{\"role\":\"master\",\"state\":\"running\"}", 4, 7587) + "],\"count\":\"3\"}";
                case "/v3/kv/txn" -> txnReply;
                default -> "{\"header\":{}}";
            };
            byte[] b = reply.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String kv(String key, String value, long mod, long lease) {
        return "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\",\"mod_revision\":\"" + mod + "\""
                + (lease == 0 ? "" : ",\"lease\":\"" + lease + "\"") + "}";
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private EtcdGatewayStore store() {
        // the first host refuses connections: the store must go on to the next one
        return new EtcdGatewayStore(CtlConfig.of("demo", "service", List.of("127.0.0.1:1", "127.0.0.1:" + server.getAddress().getPort()), null));
    }

    @Test
    void read_is_one_range_over_the_cluster_prefix() {
        Cluster c = store().read("demo");
        assertThat(requests.get("/v3/kv/range").toString())
                .isEqualTo("{\"key\":\"" + b64("/service/demo/") + "\",\"range_end\":\"" + b64("/service/demo0") + "\"}");
        assertThat(c.leader().name()).isEqualTo("m1");
        assertThat(c.leader().leaseId()).isEqualTo(7587);
        assertThat(c.configModRevision()).isEqualTo(5);
        assertThat(c.members()).containsOnlyKeys("m1");
        assertThat(c.revision()).isEqualTo(8);
    }

    @Test
    void cas_write_compares_the_mod_revision_and_a_missing_succeeded_means_it_failed() {
        assertThat(store().setConfig("demo", "{\"ttl\": 20}", 5)).isFalse();
        JsonNode txn = requests.get("/v3/kv/txn");
        assertThat(txn.toString()).isEqualTo("{\"compare\":[{\"key\":\"" + b64("/service/demo/config")
                + "\",\"target\":\"MOD\",\"result\":\"EQUAL\",\"mod_revision\":\"5\"}],\"success\":[{\"request_put\":{\"key\":\""
                + b64("/service/demo/config") + "\",\"value\":\"" + b64("{\"ttl\": 20}") + "\"}}]}");
        txnReply = "{\"header\":{\"revision\":\"9\"},\"succeeded\":true}";
        assertThat(store().setFailover("demo", "{}", 42)).isTrue();
    }

    @Test
    void without_a_known_revision_it_is_a_plain_put() {
        assertThat(store().setFailover("demo", "{\"member\":\"m2\"}", 0)).isTrue();
        assertThat(requests.get("/v3/kv/put").get("key").asText()).isEqualTo(b64("/service/demo/failover"));
        assertThat(requests).doesNotContainKey("/v3/kv/txn");
    }

    @Test
    void no_answering_host_is_a_clear_error() {
        EtcdGatewayStore dead = new EtcdGatewayStore(CtlConfig.of("demo", "service", List.of("127.0.0.1:1"), null));
        assertThatThrownBy(() -> dead.read("demo")).isInstanceOf(CtlException.class).hasMessageStartingWith("etcd request failed: http://127.0.0.1:1");
    }
}
