package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent's cluster and write endpoints (issue 4) against a real `pgha local` cluster: reads, the access
 * check, dynamic configuration with compare-and-set, switchover and its refusals, restart, reinitialize,
 * pause. Each scenario starts from a healthy cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestWriteApiIT extends OneLocalCluster {


    @Test
    @Order(1)
    void cluster_history_config_and_metrics_read_the_dcs() throws Exception {
        String leader = cluster.awaitLeader();
        JsonNode c = cluster.rest(leader, "GET", "/cluster", null, false).json();
        assertThat(c.path("members")).hasSize(3);
        assertThat(c.path("scope").asText()).isEqualTo(cluster.file().scope());
        for (JsonNode m : c.path("members")) {
            assertThat(m.path("role").asText()).isEqualTo(m.path("name").asText().equals(leader) ? "leader" : "replica");
            assertThat(m.path("api_url").asText()).endsWith("/patroni");
        }
        assertThat(cluster.rest(others(leader).get(0), "GET", "/history", null, false).json().isArray()).isTrue();
        LocalClusterHarness.Reply config = cluster.rest(leader, "GET", "/config", null, false);
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().path("ttl").asInt()).isPositive();
        assertThat(config.headers()).containsKey("etag");
        String metrics = cluster.rest(leader, "GET", "/metrics", null, false).body();
        assertThat(metrics).contains("patroni_primary{scope=\"" + cluster.file().scope() + "\",name=\"" + leader + "\"} 1")
                .contains("patroni_postgres_running{").contains("pgha_lease_renewals_total{");
        assertThat(cluster.rest(others(leader).get(0), "GET", "/metrics", null, false).body()).contains("patroni_replica{scope=")
                .containsPattern("patroni_replica\\{[^}]*\\} 1");
    }

    @Test
    @Order(2)
    void write_calls_without_the_rest_login_are_refused_and_change_nothing() throws Exception {
        String leader = cluster.awaitLeader();
        LocalClusterHarness.Reply r = cluster.rest(leader, "POST", "/switchover", "{\"leader\":\"" + leader + "\"}", false);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers().get("www-authenticate")).containsExactly("Basic realm=\"Patroni\"");
        assertThat(cluster.rest(leader, "PATCH", "/config", "{\"ttl\":99}", false).status()).isEqualTo(401);
        assertThat(cluster.rest(leader, "GET", "/config", null, false).json().path("ttl").asInt()).isNotEqualTo(99);
        assertThat(cluster.leader()).contains(leader);
    }

    @Test
    @Order(3)
    void patch_config_merges_with_compare_and_set_and_reaches_every_member() throws Exception {
        String leader = cluster.awaitLeader();
        LocalClusterHarness.Reply before = cluster.rest(leader, "GET", "/config", null, false);
        String etag = before.headers().get("etag").get(0);

        LocalClusterHarness.Reply stale = cluster.rest(leader, "PATCH", "/config",
                "{\"postgresql\":{\"parameters\":{\"work_mem\":\"7MB\"}}}", true, "If-Match", "\"1\"");
        assertThat(stale.status()).isEqualTo(409);

        LocalClusterHarness.Reply ok = cluster.rest(leader, "PATCH", "/config",
                "{\"postgresql\":{\"parameters\":{\"work_mem\":\"7MB\",\"max_connections\":\"120\"}}}", true, "If-Match", etag);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("ttl").asInt()).isEqualTo(before.json().path("ttl").asInt()); // merged, not replaced
        assertThat(ok.json().path("postgresql").path("parameters").path("work_mem").asText()).isEqualTo("7MB");

        // a reloadable parameter is applied everywhere; a restart-only one is reported as pending
        for (ClusterFile.Member m : cluster.file().members()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "7MB".equals(show(m.postgresPort(), "work_mem")));
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    cluster.rest(m.name(), "GET", "/patroni", null, false).json().path("pending_restart").asBoolean(false));
        }
        assertThat(cluster.rest(leader, "GET", "/metrics", null, false).body()).containsPattern("patroni_pending_restart\\{[^}]*\\} 1");

        // restart only where a restart is pending, keeping the leader (no failover)
        String replica = others(leader).get(0);
        LocalClusterHarness.Reply restarted = cluster.rest(replica, "POST", "/restart", "{\"restart_pending\":true}", true);
        assertThat(restarted.status()).as(restarted.body()).isEqualTo(200);
        assertThat(restarted.body()).isEqualTo("restarted successfully");
        assertThat(show(cluster.member(replica).postgresPort(), "max_connections")).isEqualTo("120");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !cluster.rest(replica, "GET", "/patroni", null, false).json().path("pending_restart").asBoolean(false));
        assertThat(cluster.rest(replica, "POST", "/restart", "{\"restart_pending\":true}", true).status()).isEqualTo(503);
        assertThat(cluster.rest(replica, "POST", "/restart", "{\"role\":\"primary\"}", true).body())
                .isEqualTo("restart conditions are not satisfied");
        assertThat(cluster.leader()).contains(leader);

        // PUT replaces the whole config (no compare-and-set), as Patroni's does
        JsonNode current = cluster.rest(leader, "GET", "/config", null, false).json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) current).put("maximum_lag_on_failover", 2097152);
        assertThat(cluster.rest(leader, "PUT", "/config", current.toString(), true).status()).isEqualTo(200);
        assertThat(cluster.rest(replica, "GET", "/config", null, false).json()).isEqualTo(current);
    }

    @Test
    @Order(4)
    void switchover_refusals_write_no_failover_key() throws Exception {
        String leader = cluster.awaitLeader();
        String other = others(leader).get(0);
        assertThat(cluster.rest(leader, "POST", "/switchover", "{\"leader\":\"" + leader + "\",\"candidate\":\"nobody\"}", true))
                .satisfies(r -> assertThat(r.status()).isEqualTo(412))
                .satisfies(r -> assertThat(r.body()).isEqualTo("candidate does not exists"));
        assertThat(cluster.rest(leader, "POST", "/switchover", "{\"leader\":\"" + other + "\",\"candidate\":\"" + leader + "\"}", true))
                .satisfies(r -> assertThat(r.status()).isEqualTo(412))
                .satisfies(r -> assertThat(r.body()).isEqualTo("leader name does not match"));
        assertThat(cluster.rest(leader, "POST", "/switchover", "{\"leader\":\"" + leader + "\",\"candidate\":\"" + other
                + "\",\"scheduled_at\":\"" + OffsetDateTime.now().minusHours(1) + "\"}", true).status()).isEqualTo(422);
        assertThat(cluster.rest(leader, "POST", "/switchover", "{\"candidate\":\"" + other + "\"}", true).status()).isEqualTo(400);
        assertThat(cluster.rest(leader, "POST", "/switchover", "not json", true).status()).isEqualTo(400);
        assertThat(cluster.rest(leader, "POST", "/reinitialize", "{}", true).body()).isEqualTo("I am the leader, can not reinitialize");
        assertThat(cluster.rest(leader, "DELETE", "/switchover", null, true).status()).isEqualTo(404);
        // failsafe mode is issue 5: off, and said so
        assertThat(cluster.rest(leader, "GET", "/failsafe", null, false).status()).isEqualTo(502);
        assertThat(cluster.rest(other, "POST", "/failsafe", "{}", true).status()).isEqualTo(502);
        assertThat(cluster.leader()).contains(leader);
    }

    @Test
    @Order(5)
    void switchover_through_the_api_moves_the_leader_and_the_old_one_streams_again() throws Exception {
        String leader = cluster.awaitLeader();
        String candidate = others(leader).get(1);
        long t0 = System.nanoTime();
        LocalClusterHarness.Reply r = cluster.rest(leader, "POST", "/switchover",
                "{\"leader\":\"" + leader + "\",\"candidate\":\"" + candidate + "\"}", true);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Successfully switched over to \"" + candidate + "\"");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.leader().orElse("").equals(candidate));
        // the first write through HAProxy may meet a pooled connection to the old primary: clients retry
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.tryWrite("after-switchover") == cluster.member(candidate).postgresPort());
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.streamingStandbys(candidate).contains(leader));
        JsonNode history = cluster.rest(candidate, "GET", "/history", null, false).json();
        assertThat(history.get(history.size() - 1).get(4).asText()).isEqualTo(candidate);
    }

    @Test
    @Order(6)
    void reinitialize_of_a_replica_clones_it_again() throws Exception {
        String leader = cluster.awaitLeader();
        String replica = others(leader).get(0);
        long pid = cluster.postmasterPid(replica);
        LocalClusterHarness.Reply r = cluster.rest(replica, "POST", "/reinitialize", "{\"force\":true}", true);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).until(() -> cluster.streamingStandbys(leader).contains(replica)
                && pidOrNone(replica) != pid && pidOrNone(replica) > 0);
    }

    @Test
    @Order(7)
    void pause_stops_automatic_actions_and_refuses_scheduled_restarts() throws Exception {
        String leader = cluster.awaitLeader();
        assertThat(cluster.rest(leader, "PATCH", "/config", "{\"pause\":true}", true).status()).isEqualTo(200);
        try {
            for (ClusterFile.Member m : cluster.file().members()) {
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        cluster.rest(m.name(), "GET", "/patroni", null, false).json().path("pause").asBoolean(false));
            }
            LocalClusterHarness.Reply r = cluster.rest(leader, "POST", "/restart",
                    "{\"schedule\":\"" + OffsetDateTime.now().plusHours(1) + "\"}", true);
            assertThat(r.status()).isEqualTo(409); // Patroni answers 500; a refusal of valid input is not a server fault
            assertThat(r.body()).isEqualTo("Can't schedule restart in the paused state");
            assertThat(cluster.rest(leader, "GET", "/cluster", null, false).json().path("pause").asBoolean()).isTrue();
        } finally {
            assertThat(cluster.rest(leader, "PATCH", "/config", "{\"pause\":null}", true).status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !cluster.rest(leader, "GET", "/patroni", null, false).json().path("pause").asBoolean(false));
    }

    @Test
    @Order(8)
    void scheduled_restart_can_be_listed_and_deleted() throws Exception {
        String leader = cluster.awaitLeader();
        String at = OffsetDateTime.now().plusHours(2).toString();
        assertThat(cluster.rest(leader, "POST", "/restart", "{\"schedule\":\"" + at + "\"}", true).status()).isEqualTo(202);
        assertThat(cluster.rest(leader, "POST", "/restart", "{\"schedule\":\"" + at + "\"}", true).status()).isEqualTo(409);
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.rest(leader, "GET", "/cluster", null, false).json()
                .path("members").findValues("scheduled_restart").size() == 1);
        assertThat(cluster.rest(leader, "DELETE", "/restart", null, true).status()).isEqualTo(200);
        assertThat(cluster.rest(leader, "DELETE", "/restart", null, true).status()).isEqualTo(404);
    }

    @Test
    @Order(9)
    void a_switchover_to_a_standby_that_lags_too_far_is_refused_by_the_leader() throws Exception {
        String leader = cluster.awaitLeader();
        String laggard = others(leader).get(0);
        long receiver;
        try (Connection c = cluster.connect(cluster.member(laggard).postgresPort()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_wal_receiver")) {
            assertThat(rs.next()).as("a WAL receiver on " + laggard).isTrue();
            receiver = rs.getLong(1);
        }
        LocalClusterHarness.signal(receiver, "STOP"); // the standby stops receiving, as behind a slow link
        try {
            try (Connection c = cluster.connect(cluster.member(leader).postgresPort()); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS it_lag(x int)");
                st.execute("INSERT INTO it_lag VALUES (1)");
                st.execute("SELECT pg_switch_wal()"); // a new 16 MB segment: far beyond maximum_lag_on_failover (1 MB)
            }
            LocalClusterHarness.Reply r = cluster.rest(leader, "POST", "/switchover",
                    "{\"leader\":\"" + leader + "\",\"candidate\":\"" + laggard + "\"}", true);
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("Switchover failed");
            assertThat(cluster.agentLog(leader)).contains("manual failover is not possible: " + laggard + " lags");
            assertThat(cluster.leader()).contains(leader);
        } finally {
            LocalClusterHarness.signal(receiver, "CONT");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.streamingStandbys(leader).contains(laggard));
    }

    /**
     * pgha local has no per-member tags, so this scenario restarts one standby's agent itself, from the same
     * command line, with {@code tags: {nofailover: true}} in its configuration; the next scenario's `local up`
     * brings the member back as it was.
     */
    @Test
    @Order(10)
    void a_switchover_to_a_nofailover_member_is_refused() throws Exception {
        String leader = cluster.awaitLeader();
        String tagged = others(leader).get(0);
        long pid = cluster.agentPid(tagged);
        List<String> command = List.of(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/cmdline")).split("\0"));
        java.nio.file.Path yml = cluster.dir.resolve(tagged).resolve("patroni.yml");
        String original = java.nio.file.Files.readString(yml);
        assertThat(original).contains("\ntags: {}\n");
        LocalClusterHarness.signal(pid, "TERM");
        await().atMost(Duration.ofSeconds(60)).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        java.nio.file.Files.writeString(yml, original.replace("\ntags: {}\n", "\ntags:\n  nofailover: true\n"));
        List<String> asUser = new java.util.ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            asUser.addAll(List.of("setpriv", "--reuid=pgha", "--regid=pgha", "--init-groups", "--"));
        }
        asUser.addAll(command);
        Process agent = new ProcessBuilder(asUser).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(cluster.dir.resolve(tagged).resolve("agent.log").toFile())).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.rest(leader, "GET", "/cluster", null, false).body()
                    .contains("\"name\":\"" + tagged + "\"") && cluster.rest(tagged, "GET", "/patroni", null, false).json()
                    .path("tags").path("nofailover").asBoolean(false));
            LocalClusterHarness.Reply r = cluster.rest(leader, "POST", "/switchover",
                    "{\"leader\":\"" + leader + "\",\"candidate\":\"" + tagged + "\"}", true);
            assertThat(r.status()).isEqualTo(412);
            assertThat(r.body()).isEqualTo("switchover is not possible: no good candidates have been found");
            assertThat(cluster.leader()).contains(leader);
        } finally {
            agent.destroy(); // SIGTERM: the agent stops its PostgreSQL cleanly
            assertThat(agent.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            java.nio.file.Files.writeString(yml, original);
        }
    }

    /**
     * Issue 11: 200 MB of unauthenticated POST body once ran the agent out of memory and killed its fence thread.
     * The refusal comes before the body is read, the server stops taking the body, and the agent stays live.
     */
    @Test
    @Order(11)
    void a_huge_unauthenticated_post_is_refused_unread_and_the_agent_stays_live() throws Exception {
        String leader = cluster.awaitLeader();
        String replica = others(leader).get(0);
        long agent = cluster.agentPid(replica);
        long sent = 0;
        String head;
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", cluster.member(replica).restPort())) {
            s.setSoTimeout(10_000);
            java.io.OutputStream out = s.getOutputStream();
            out.write("POST /reload HTTP/1.1\r\nHost: x\r\nContent-Length: 209715200\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[4096]);
            out.flush();
            head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            byte[] chunk = new byte[1 << 20];
            try {
                for (; sent < 200L << 20; sent += chunk.length) { // the rest of the 200 MB, as an attacker would
                    out.write(chunk);
                }
            } catch (IOException closedByTheServer) {
                // expected: the agent does not swallow the body of a refused request
            }
        }
        assertThat(head).isEqualTo("HTTP/1.1 401");
        assertThat(sent).as("bytes the agent took after refusing").isLessThan(200L << 20);
        assertThat(ProcessHandle.of(agent).map(ProcessHandle::isAlive)).contains(true);
        assertThat(cluster.rest(replica, "GET", "/liveness", null, false).status()).isEqualTo(200);
        assertThat(cluster.rest(replica, "GET", "/patroni", null, false).json().path("state").asText()).isEqualTo("running");
    }

    /** Issue 11: an object as candidate read as "no candidate" and really switched over. */
    @Test
    @Order(12)
    void a_switchover_with_an_object_as_candidate_is_refused_and_the_leader_stays() throws Exception {
        String leader = cluster.awaitLeader();
        LocalClusterHarness.Reply r = cluster.rest(leader, "POST", "/switchover",
                "{\"leader\":\"" + leader + "\",\"candidate\":{\"a\":1}}", true);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("candidate must be a string");
        assertThat(cluster.rest(leader, "GET", "/cluster", null, false).json().has("scheduled_switchover")).isFalse();
        assertThat(cluster.leader()).contains(leader);
    }

    /** Issue 11: two reinitialize calls in quick succession wiped the data directory under a starting postmaster. */
    @Test
    @Order(13)
    void back_to_back_reinitialize_calls_run_once_and_the_member_streams_again() throws Exception {
        String leader = cluster.awaitLeader();
        String replica = others(leader).get(0);
        long pid = cluster.postmasterPid(replica);
        long agent = cluster.agentPid(replica);
        java.util.concurrent.Callable<Integer> reinit = () -> cluster.rest(replica, "POST", "/reinitialize", "{}", true).status();
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<Integer> codes;
        try {
            var calls = two.invokeAll(List.of(reinit, reinit));
            codes = new java.util.ArrayList<>();
            for (var c : calls) {
                codes.add(c.get());
            }
        } finally {
            two.shutdownNow();
        }
        // and once more while the clone is under way: still the same reinitialize
        int third = cluster.rest(replica, "POST", "/reinitialize", "{\"force\":true}", true).status();
        assertThat(codes).containsExactlyInAnyOrder(200, 409);
        assertThat(third).isEqualTo(409);
        await().atMost(Duration.ofSeconds(90)).until(() -> cluster.streamingStandbys(leader).contains(replica)
                && pidOrNone(replica) != pid && pidOrNone(replica) > 0);
        assertThat(ProcessHandle.of(agent).map(ProcessHandle::isAlive)).contains(true);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.rest(replica, "POST", "/reinitialize", "{}", true).status() == 200);
        await().atMost(Duration.ofSeconds(90)).until(() -> cluster.streamingStandbys(leader).contains(replica));
    }

    /** The postmaster pid, or -1 while the data directory is being replaced. */
    private static long pidOrNone(String member) {
        try {
            return cluster.postmasterPid(member);
        } catch (IOException gone) {
            return -1;
        }
    }

    private static String show(int port, String parameter) {
        try (Connection c = cluster.connect(port); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW " + parameter)) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            return null;
        }
    }
}
