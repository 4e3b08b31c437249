package io.pgha.agent.rest;

import static io.pgha.agent.rest.NodeStatusFixture.leader;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterParser;
import io.pgha.contract.DcsKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster endpoints' answers and refusals over real HTTP, with the DCS replaced by an in-memory map of
 * keys (the agent's side is exercised against real etcd in RestWriteApiIT).
 */
class ClusterRoutesTest {
    private static final DcsKeys KEYS = new DcsKeys("/service/", "demo");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The keys of the fake DCS: suffix → value; mod revisions count writes. */
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final Map<String, Long> revisions = new LinkedHashMap<>();
    private long revision = 10;
    private RestApi api;
    private volatile boolean leaderRefuses;

    private final AgentControl agent = new AgentControl() {
        @Override
        public String scope() {
            return "demo";
        }

        @Override
        public String name() {
            return "m1";
        }

        @Override
        public Cluster readCluster() {
            List<ClusterParser.Entry> e = new ArrayList<>();
            keys.forEach((k, v) -> e.add(new ClusterParser.Entry(KEYS.key(k), v, revisions.get(k), k.equals("leader") ? 7 : 0)));
            return ClusterParser.parse(KEYS, e, revision);
        }

        @Override
        public boolean compareAndSet(String key, String value, long modRevision) {
            if (revisions.getOrDefault(key, 0L) != modRevision) {
                return false;
            }
            put(key, value);
            return true;
        }

        @Override
        public void put(String key, String value) {
            keys.put(key, value);
            revisions.put(key, ++revision);
        }

        @Override
        public void wakeUp() {
            if (leaderRefuses) {
                put("failover", "{}"); // what a leader does with a request it cannot carry out
            }
        }

        @Override
        public int loopWaitSeconds() {
            return 1;
        }

        @Override
        public NodeTasks tasks() {
            throw new UnsupportedOperationException("not used here");
        }
    };

    private static String member(String role, String tags) {
        return "{\"conn_url\":\"postgres://127.0.0.1:5432/postgres\",\"api_url\":\"http://127.0.0.1:8008/patroni\","
                + "\"state\":\"running\",\"role\":\"" + role + "\",\"xlog_location\":100,\"timeline\":1" + tags + "}";
    }

    @BeforeEach
    void start() throws Exception {
        agent.put("initialize", "7712949774016736841");
        agent.put("config", "{\"ttl\":30,\"loop_wait\":10,\"postgresql\":{\"parameters\":{\"work_mem\":\"4MB\"}}}");
        agent.put("leader", "m1");
        agent.put("members/m1", member("master", ""));
        agent.put("members/m2", member("replica", ""));
        agent.put("members/m3", member("replica", ",\"tags\":{\"nofailover\":true}"));
        agent.put("history", "[[1,100,\"no recovery target specified\",\"2026-11-28T00:00:00+00:00\",\"m1\"]]");
        api = new RestApi("127.0.0.1", 0, () -> leader().build());
        new ClusterRoutes(agent).register(api);
        api.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clusterListsMembersWithRolesAndLag() throws Exception {
        HttpResponse<String> r = call("GET", "/cluster", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"name\":\"m1\",\"role\":\"leader\"").contains("\"name\":\"m2\",\"role\":\"replica\"")
                .contains("\"tags\":{\"nofailover\":true}").contains("\"scope\":\"demo\"");
    }

    @Test
    void historyAndConfigComeFromTheirKeys() throws Exception {
        assertThat(call("GET", "/history", null).body()).startsWith("[[1,100,");
        HttpResponse<String> c = call("GET", "/config", null);
        assertThat(c.body()).contains("\"ttl\":30");
        assertThat(c.headers().firstValue("etag")).contains("\"" + revisions.get("config") + "\"");
        keys.remove("config");
        assertThat(call("GET", "/config", null).statusCode()).isEqualTo(502);
    }

    @Test
    void patchMergesAndAStaleVersionIsRefused() throws Exception {
        HttpResponse<String> ok = call("PATCH", "/config", "{\"loop_wait\":5,\"postgresql\":{\"parameters\":{\"work_mem\":null}}}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(keys.get("config")).contains("\"loop_wait\":5").contains("\"ttl\":30").doesNotContain("work_mem");
        assertThat(call("PATCH", "/config", "{\"ttl\":40}", "If-Match", "\"3\"").statusCode()).isEqualTo(409);
        assertThat(keys.get("config")).contains("\"ttl\":30");
        assertThat(call("PATCH", "/config", "[1,2]").statusCode()).isEqualTo(400);
    }

    @Test
    void putReplacesTheWholeConfig() throws Exception {
        HttpResponse<String> r = call("PUT", "/config", "{\"ttl\":20,\"loop_wait\":2}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(keys.get("config")).isEqualTo("{\"ttl\":20,\"loop_wait\":2}");
        assertThat(call("PUT", "/config", "").statusCode()).isIn(400, 411);
    }

    @Test
    void switchoverRefusalsWriteNoFailoverKey() throws Exception {
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("{\"candidate\":\"m2\"}", 400);                                  // no leader named
        expected.put("{\"leader\":\"m2\",\"candidate\":\"m3\"}", 412);                // not the leader
        expected.put("{\"leader\":\"m1\",\"candidate\":\"m9\"}", 412);                // not a member
        expected.put("{\"leader\":\"m1\",\"candidate\":\"m3\"}", 412);                // nofailover
        expected.put("{\"leader\":\"m1\",\"candidate\":\"m1\"}", 400);                // same member
        expected.put("{\"leader\":\"m1\",\"candidate\":\"m2\",\"scheduled_at\":\"2020-01-01T00:00:00+00:00\"}", 422);
        expected.put("{\"leader\":\"m1\",\"candidate\":\"m2\",\"scheduled_at\":\"2099-01-01T00:00:00\"}", 400);
        for (var e : expected.entrySet()) {
            assertThat(call("POST", "/switchover", e.getKey()).statusCode()).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(call("POST", "/failover", "{\"leader\":\"m1\"}").body()).isEqualTo("Failover could be performed only to a specific candidate");
        assertThat(call("POST", "/switchover", "{\"leader\":\"m1\",\"candidate\":\"m3\"}").body())
                .isEqualTo("switchover is not possible: no good candidates have been found");
        assertThat(keys).doesNotContainKey("failover");
    }

    @Test
    void aScheduledSwitchoverIsWrittenAndCanBeDeleted() throws Exception {
        String at = OffsetDateTime.now().plusHours(1).toString();
        HttpResponse<String> r = call("POST", "/switchover", "{\"leader\":\"m1\",\"member\":\"m2\",\"scheduled_at\":\"" + at + "\"}");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(keys.get("failover")).contains("\"leader\":\"m1\"").contains("\"member\":\"m2\"").contains("scheduled_at");
        assertThat(call("GET", "/cluster", null).body()).contains("\"scheduled_switchover\":{");
        assertThat(call("DELETE", "/switchover", null).statusCode()).isEqualTo(200);
        assertThat(keys.get("failover")).isEqualTo("{}");
        assertThat(call("DELETE", "/switchover", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aSwitchoverThatNobodyCarriesOutEndsAsFailed() throws Exception {
        // clearing the key without a new leader is how the leader's agent reports a refusal
        leaderRefuses = true;
        HttpResponse<String> r = call("POST", "/switchover", "{\"leader\":\"m1\",\"candidate\":\"m2\"}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("Switchover failed");
    }
}
