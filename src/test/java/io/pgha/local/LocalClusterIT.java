package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End to end against a real `pgha local` cluster (etcd ×3, PostgreSQL 15, PgBouncer, HAProxy, three agents):
 * bootstrap, Patroni's own patronictl, and the failures the agent must handle ({@link OneLocalCluster}: one
 * cluster for all scenarios, each starting from a healthy one).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT extends OneLocalCluster {
    @Test
    @Order(1)
    void bootstrap_gives_one_leader_and_two_standbys_streaming_through_their_slots() throws Exception {
        String leader = cluster.awaitLeader();
        List<String> others = others(leader);

        assertThat(cluster.streamingStandbys(leader)).containsExactlyInAnyOrderElementsOf(others);
        for (String m : others) {
            // the agents answer from their last probe, which may be a cycle behind the streaming just seen
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.restStatus(m, "/replica") == 200);
            assertThat(cluster.restStatus(m, "/primary")).isEqualTo(503);
        }
        try (var c = cluster.connect(cluster.member(leader).postgresPort()); var st = c.createStatement();
             var rs = st.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE active ORDER BY 1")) {
            List<String> slots = new ArrayList<>();
            while (rs.next()) {
                slots.add(rs.getString(1));
            }
            assertThat(slots).containsExactlyInAnyOrderElementsOf(others);
        }
        // HAProxy marks the primary up after its own health checks, which need not have run yet
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.tryWrite("bootstrap") == cluster.member(leader).postgresPort());
    }

    @Test
    @Order(2)
    void debian_patronictl_lists_roles_timeline_and_lag() throws Exception {
        String leader = cluster.awaitLeader();
        int timeline = cluster.timeline(leader);
        JsonNode rows = await().atMost(Duration.ofSeconds(20)).until(this::patronictlList,
                r -> r.size() == 3 && allRunningOn(r, timeline));

        for (JsonNode row : rows) {
            boolean isLeader = row.get("Member").asText().equals(leader);
            assertThat(row.get("Role").asText()).isEqualTo(isLeader ? "Leader" : "Replica");
            assertThat(row.get("Cluster").asText()).isEqualTo(cluster.file().scope());
            if (!isLeader) {
                assertThat(row.get("Lag in MB").asInt()).isZero();
            }
        }
    }

    @Test
    @Order(3)
    void postgres_killed_under_a_live_agent_is_restarted_as_primary_without_failover() throws Exception {
        String leader = cluster.awaitLeader();
        int timeline = cluster.timeline(leader);
        long oldPostmaster = cluster.postmasterPid(leader);

        LocalClusterHarness.signal(oldPostmaster, "KILL");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.tryWrite("after-pg-crash") == cluster.member(leader).postgresPort());
        assertThat(cluster.postmasterPid(leader)).isNotEqualTo(oldPostmaster);
        // /primary answers from the agent's probe, which can be a cycle behind the write HAProxy let through
        await().atMost(Duration.ofSeconds(10)).until(cluster::leader, l -> l.equals(java.util.Optional.of(leader)));
        // writes may pass before the agent's next probe reports the restarted server's timeline
        int after = await().atMost(Duration.ofSeconds(10)).until(() -> cluster.timeline(leader), tl -> tl > 0);
        assertThat(after).as("no promotion happened").isEqualTo(timeline);
    }

    @Test
    @Order(4)
    void sigterm_of_the_leader_hands_over_to_a_standby_in_under_two_seconds() throws Exception {
        String leader = cluster.awaitLeader();
        long start = System.nanoTime();

        LocalClusterHarness.signal(cluster.agentPid(leader), "TERM");

        String next = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> others(leader).stream().filter(m -> cluster.restStatus(m, "/primary") == 200).findFirst().orElse(null),
                        java.util.Objects::nonNull);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(millis).as("SIGTERM to new primary, ms").isLessThan(2000);
        await().atMost(Duration.ofSeconds(10)).until(() -> !cluster.acceptsWritesDirectly(leader));
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.acceptsWritesDirectly(next));
    }

    @Test
    @Order(5)
    void killing_the_leaders_agent_and_postgres_promotes_a_standby_and_the_old_leader_rejoins_by_rewind() throws Exception {
        String leader = cluster.awaitLeader();
        int oldPort = cluster.member(leader).postgresPort();
        List<Long> victims = new ArrayList<>(cluster.postgresProcesses(leader));
        victims.add(cluster.agentPid(leader));

        for (long pid : victims) {
            LocalClusterHarness.signal(pid, "KILL");
        }

        int newPort = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.tryWrite("after-failover"), p -> p > 0 && p != oldPort);
        String newLeader = cluster.file().members().stream().filter(m -> m.postgresPort() == newPort).findFirst().orElseThrow().name();
        String third = others(leader).stream().filter(m -> !m.equals(newLeader)).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.streamingStandbys(newLeader).contains(third));

        String logBefore = cluster.agentLog(leader);
        cluster.upAgain(); // the old leader's agent starts again, with no manual step
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> cluster.streamingStandbys(newLeader).contains(leader));
        String rejoin = cluster.agentLog(leader).substring(logBefore.length());
        assertThat(rejoin).contains("rewound from " + newLeader).doesNotContain("cloning from");
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.restStatus(leader, "/replica") == 200);
    }

    @Test
    @Order(6)
    void a_leader_cut_off_from_etcd_stops_accepting_writes_before_ttl() throws Exception {
        String leader = cluster.awaitLeader();
        int ttl = cluster.file().timing().ttl();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.acceptsWritesDirectly(leader));
        List<Long> etcd = cluster.file().etcd().members().stream().map(ClusterFile.EtcdMember::pid).toList();

        long start = System.nanoTime();
        try {
            for (long pid : etcd) {
                LocalClusterHarness.signal(pid, "STOP");
            }
            await().atMost(Duration.ofSeconds(ttl)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !cluster.acceptsWritesDirectly(leader));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(millis).as("etcd lost to writes refused, ms").isLessThan(ttl * 1000L);
        } finally {
            for (long pid : etcd) {
                LocalClusterHarness.signal(pid, "CONT");
            }
        }
        cluster.awaitHealthy();
    }

    @Test
    @Order(7)
    void three_switchovers_leave_no_password_in_any_log() throws Exception {
        for (int i = 0; i < 3; i++) {
            String leader = cluster.awaitLeader();
            String candidate = others(leader).get(0);
            LocalClusterHarness.Reply r = cluster.rest(leader, "POST", "/switchover",
                    "{\"leader\":\"" + leader + "\",\"candidate\":\"" + candidate + "\"}", true);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(cluster::leader, l -> l.equals(java.util.Optional.of(candidate)));
            cluster.awaitHealthy();
        }
        Path secrets = cluster.dir.resolve("secrets");
        List<String> passwords = List.of(LocalSecrets.REPLICATION, LocalSecrets.SUPERUSER, LocalSecrets.REWIND).stream()
                .map(user -> LocalSecrets.read(LocalSecrets.file(secrets, user))).toList();
        StringBuilder postgresLogs = new StringBuilder();
        for (ClusterFile.Member m : cluster.file().members()) {
            String serverLog = Files.readString(Path.of(m.dataDir() + ".log"));
            postgresLogs.append(serverLog);
            for (String log : List.of(serverLog, cluster.agentLog(m.name()))) {
                assertThat(passwords).as(m.name()).noneMatch(log::contains);
            }
        }
        // the standby that followed the new leader re-pointed by reload, which PostgreSQL logs verbatim
        assertThat(postgresLogs).contains("parameter \"primary_conninfo\" changed to").contains("passfile=");
    }

    @Test
    @Order(8)
    void the_children_of_a_killed_postmaster_are_gone_within_a_second() throws Exception {
        String replica = others(cluster.awaitLeader()).get(0);
        long postmaster = cluster.postmasterPid(replica);
        List<ProcessHandle> children = ProcessHandle.of(postmaster).orElseThrow().children().toList();
        assertThat(children).as("checkpointer, walreceiver, startup...").hasSizeGreaterThan(2);

        long killed = System.nanoTime();
        LocalClusterHarness.signal(postmaster, "KILL");

        // the agent's fence sees the death within its 100 ms tick and SIGKILLs what is left
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> children.stream().noneMatch(c -> c.isAlive() && OsProcess.alive(c.pid())));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)).as("ms from SIGKILL to no child left").isLessThanOrEqualTo(1000);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.streamingStandbys(cluster.awaitLeader()).contains(replica));
    }


    private JsonNode patronictlList() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("patronictl", "-c", cluster.dir.resolve("patronictl.yaml").toString(), "list", "-f", "json")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return new ObjectMapper().readTree(out);
    }

    private static boolean allRunningOn(JsonNode rows, int timeline) {
        for (JsonNode r : rows) {
            if (!"running".equals(r.path("State").asText()) || r.path("TL").asInt() != timeline) {
                return false;
            }
        }
        return true;
    }
}
