package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.contract.Cluster;
import io.pgha.ctl.CtlConfig;
import io.pgha.ctl.EtcdGatewayStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `pgha ctl` (run from the built jar, as a user would) against a real `pgha local` cluster, with the
 * patronictl.yaml that `pgha local up` writes: the read-only commands give what Debian's patronictl 3.0.2
 * gives, edit-config writes through a compare-and-set on the config key, and refusals are one line on
 * stderr with exit code 1; and, last, the commands that act through the agents' REST API (with the REST
 * login from that file): switchover, restart, reload, pause and resume. scripts/ctl-interop.sh runs the same
 * commands against Patroni 3.0.2 itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CtlLocalClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalClusterHarness cluster;
    private static Path ctlFile;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void up() throws IOException {
        cluster = LocalClusterHarness.start();
        ctlFile = cluster.dir.resolve("patronictl.yaml");
    }

    @AfterAll
    static void down() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void healthy() {
        cluster.awaitHealthy();
    }

    @Test
    void list_shows_one_leader_and_two_replicas_like_patronictl() throws Exception {
        String leader = cluster.awaitLeader();
        int timeline = cluster.timeline(leader);
        JsonNode rows = await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(ok(ctl("list", "-f", "json"))),
                r -> r.size() == 3 && allRunning(r, timeline));
        for (JsonNode row : rows) {
            String name = row.get("Member").asText();
            assertThat(row.get("Cluster").asText()).isEqualTo(cluster.file().scope());
            assertThat(row.get("Role").asText()).isEqualTo(name.equals(leader) ? "Leader" : "Replica");
            assertThat(row.get("Host").asText()).isEqualTo("127.0.0.1:" + cluster.member(name).postgresPort());
        }
        // the same keys read the same way by both tools (retried: lag may move between the two reads)
        await().atMost(Duration.ofSeconds(30)).until(() -> ok(ctl("list")).equals(ok(patronictl("list"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> ok(ctl("list", "-f", "yaml")).equals(ok(patronictl("list", "-f", "yaml"))));
    }

    @Test
    void topology_history_and_show_config_match_patronictl() throws Exception {
        String leader = cluster.awaitLeader();
        // the member keys show what each agent published in its last cycle: await the settled topology
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> members = ok(ctl("topology")).lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Member")).toList();
            assertThat(members).hasSize(3);
            assertThat(members.get(0)).startsWith("| " + leader + " ");
            assertThat(members.subList(1, 3)).allMatch(l -> l.startsWith("| + "));
        });

        assertThat(ok(ctl("history"))).isEqualTo(ok(patronictl("history")));
        assertThat(ok(ctl("history", "-f", "json"))).isEqualTo(ok(patronictl("history", "-f", "json")));
        String config = ok(ctl("show-config"));
        assertThat(config).contains("loop_wait: ").contains("ttl: ").isEqualTo(ok(patronictl("show-config")));
    }

    @Test
    void version_asks_every_members_api() throws Exception {
        List<String> lines = ok(ctl("version", cluster.file().scope())).lines().toList();
        assertThat(lines.get(0)).startsWith("pgha ctl version ");
        assertThat(lines.subList(2, lines.size())).hasSize(3).allMatch(l -> l.matches("\\S+: Patroni 3\\.0\\.2 PostgreSQL 15\\.\\d+"));
    }

    @Test
    void edit_config_writes_through_cas_and_patronictl_sees_the_change() throws Exception {
        Run r = ctl("edit-config", "-p", "work_mem=7MB", "-s", "maximum_lag_on_failover=2097152", "--force");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("+    work_mem: 7MB").endsWith("Configuration changed\n");
        String seen = ok(patronictl("show-config"));
        assertThat(seen).contains("work_mem: 7MB").contains("maximum_lag_on_failover: 2097152");
        assertThat(ok(ctl("edit-config", "-p", "work_mem=7MB", "--force"))).isEqualTo("Not changed\n");
        assertThat(ok(ctl("edit-config", "-p", "work_mem=null", "-q", "--force"))).isEqualTo("Configuration changed\n");
        assertThat(ok(patronictl("show-config"))).doesNotContain("work_mem");
    }

    @Test
    void the_config_cas_fails_on_a_stale_revision_and_succeeds_on_the_current_one() {
        CtlConfig cfg = CtlConfig.load(ctlFile, Map.of());
        try (EtcdGatewayStore store = new EtcdGatewayStore(cfg)) {
            Cluster before = store.read(cluster.file().scope());
            String value = before.config().toString();
            assertThat(store.setConfig(cluster.file().scope(), value, before.configModRevision())).isTrue();
            assertThat(store.setConfig(cluster.file().scope(), value, before.configModRevision()))
                    .as("the first write moved the revision on").isFalse();
            Cluster after = store.read(cluster.file().scope());
            assertThat(after.configModRevision()).isGreaterThan(before.configModRevision());
            assertThat(after.config()).isEqualTo(before.config());
        }
    }

    @Test
    void invalid_dynamic_configuration_is_refused_by_the_api_and_edit_config_and_nothing_changes() throws Exception {
        String leader = cluster.awaitLeader();
        LocalClusterHarness.Reply before = cluster.rest(leader, "GET", "/config", null, false);
        for (String body : List.of("{\"postgresql\":{\"parameters\":{\"work_mem\\nfsync\":\"off\"}}}",
                "{\"ttl\":\"abc\"}", "{\"postgresql\":{\"parameters\":{\"shared_bufers\":\"64MB\"}}}")) {
            LocalClusterHarness.Reply r = cluster.rest(leader, "PATCH", "/config", body, true);
            assertThat(r.status()).as(body).isEqualTo(422);
            assertThat(r.body()).startsWith("invalid dynamic configuration: ");
        }
        assertThat(cluster.rest(leader, "PATCH", "/config", "{\"postgresql\":{\"parameters\":{\"shared_bufers\":\"64MB\"}}}", true)
                .body()).contains("shared_bufers: not a parameter of this PostgreSQL server");
        Run ctlRefusal = ctl("edit-config", "-s", "ttl=abc", "-p", "bad name=1", "--force");
        assertThat(ctlRefusal.exit()).isEqualTo(2);
        assertThat(ctlRefusal.err()).startsWith("Error: invalid dynamic configuration: ttl: expected an integer").hasLineCount(1);
        LocalClusterHarness.Reply after = cluster.rest(leader, "GET", "/config", null, false);
        assertThat(after.body()).isEqualTo(before.body());
        assertThat(after.headers().get("etag")).isEqualTo(before.headers().get("etag"));
    }

    @Test
    void refusals_are_one_line_on_stderr_and_exit_code_one() throws Exception {
        Run nonMember = ctl("switchover", "--candidate", "nosuch", "--force");
        assertThat(nonMember.exit()).isEqualTo(1);
        assertThat(nonMember.err()).isEqualTo("Error: Member nosuch does not exist in cluster " + cluster.file().scope() + "\n");

        Run wrongLeader = ctl("switchover", "--leader", "nosuch", "--candidate", "m1", "--force");
        assertThat(wrongLeader.exit()).isEqualTo(1);
        assertThat(wrongLeader.err()).startsWith("Error: Member nosuch is not the leader of cluster");

        Run badFile = run(List.of(java(), "-jar", jar(), "ctl", "-c", cluster.dir.resolve("missing.yaml").toString(), "list"));
        assertThat(badFile.exit()).isEqualTo(1);
        assertThat(badFile.err().lines().count()).isEqualTo(1);
        assertThat(badFile.err()).contains("not existing or no read rights");

        Run badSetting = ctl("edit-config", "-s", "loop_wait", "--force");
        assertThat(badSetting.exit()).isEqualTo(1);
        assertThat(badSetting.err()).isEqualTo("Error: Invalid parameter setting loop_wait\n");
    }

    @Test
    @Order(100) // changes the leader: after the read-only scenarios
    void switchover_restart_reload_pause_and_resume_through_the_agents() throws Exception {
        String leader = cluster.awaitLeader();
        String candidate = cluster.file().members().stream().map(ClusterFile.Member::name).filter(n -> !n.equals(leader)).sorted().findFirst().orElseThrow();

        Run switchover = ctl("switchover", "--leader", leader, "--candidate", candidate, "--force");
        assertThat(switchover.exit()).as(switchover.err()).isZero();
        assertThat(switchover.out()).contains("Successfully switched over to \"" + candidate + "\"");
        await().atMost(Duration.ofSeconds(30)).until(cluster::leader, l -> l.equals(java.util.Optional.of(candidate)));
        cluster.awaitHealthy();
        // the new leader appends to the history key after its promotion, not before it answers /primary
        await().atMost(Duration.ofSeconds(30)).until(() -> ok(ctl("history", "-f", "json")).contains("\"New Leader\": \"" + candidate + "\""));

        assertThat(ok(ctl("restart", cluster.file().scope(), leader, "--force"))).endsWith("Success: restart on member " + leader + "\n");
        cluster.awaitHealthy();
        assertThat(ok(ctl("reload", cluster.file().scope(), candidate, "--force"))).containsPattern("(No changes to apply|Reload request received) for member " + candidate);

        assertThat(ok(ctl("pause", "--wait"))).endsWith("Success: cluster management is paused\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> ok(patronictl("list")).contains("Maintenance mode: on"));
        Run refused = ctl("restart", cluster.file().scope(), "--scheduled", "2099-01-01T00:00+00:00", "--force");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("Error: Can't schedule restart in the paused state\n");
        assertThat(ok(ctl("resume", "--wait"))).endsWith("Success: cluster management is resumed\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> !ok(patronictl("show-config")).contains("pause"));
    }

    @Test
    @Order(101) // changes the leader again
    void failover_reinit_and_flush_through_the_agents() throws Exception {
        cluster.awaitHealthy();
        String leader = cluster.awaitLeader();
        List<String> others = cluster.file().members().stream().map(ClusterFile.Member::name).filter(n -> !n.equals(leader)).sorted().toList();
        String target = others.get(0);

        Run failover = ctl("failover", "--candidate", target, "--force");
        assertThat(failover.exit()).as(failover.err()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(cluster::leader, l -> l.equals(java.util.Optional.of(target)));
        cluster.awaitHealthy();

        String replica = others.get(1);
        assertThat(ok(ctl("reinit", cluster.file().scope(), replica, "--force", "--wait"))).contains("Reinitialize is completed on: " + replica);
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.streamingStandbys(target).contains(replica));

        ok(ctl("restart", cluster.file().scope(), replica, "--scheduled", "2099-01-01T00:00:00+00:00", "--force"));
        // the member's agent publishes the scheduled restart in its member key on its next cycle (issue 11: read
        // once here, this failed in CI)
        await().atMost(Duration.ofSeconds(30)).until(() -> ok(patronictl("list", "-e")).contains("2099-01-01"));
        assertThat(ok(ctl("flush", cluster.file().scope(), "restart", "--force"))).contains("Success: flush scheduled restart for member " + replica);
        await().atMost(Duration.ofSeconds(30)).until(() -> !ok(patronictl("list", "-e")).contains("2099-01-01"));
        ok(ctl("switchover", "--leader", target, "--candidate", replica, "--scheduled", "2099-01-01T00:00:00+00:00", "--force"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ok(patronictl("list")).contains("Switchover scheduled at: 2099-01-01"));
        assertThat(ok(ctl("flush", cluster.file().scope(), "switchover", "--force"))).contains("scheduled switchover deleted");
        await().atMost(Duration.ofSeconds(30)).until(() -> !ok(patronictl("list")).contains("Switchover scheduled"));
        await().atMost(Duration.ofSeconds(30)).until(cluster::leader, l -> l.equals(java.util.Optional.of(target)));
    }

    private static boolean allRunning(JsonNode rows, int timeline) {
        for (JsonNode r : rows) {
            if (!"running".equals(r.path("State").asText()) || r.path("TL").asInt() != timeline) {
                return false;
            }
        }
        return true;
    }

    private static String ok(Run r) {
        assertThat(r.exit()).as("exit code; stderr: " + r.err()).isZero();
        return r.out();
    }

    private static Run ctl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jar(), "ctl", "-c", ctlFile.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static Run patronictl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("patronictl", "-c", ctlFile.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String jar() {
        return Path.of(System.getProperty("pgha.jar", "target/pgha.jar")).toAbsolutePath().toString();
    }

    /** Runs a command with no input; stdout and stderr go to files so neither pipe can fill and block it. */
    private static Run run(List<String> cmd) throws IOException {
        Path out = Files.createTempFile("ctl-it", ".out");
        Path err = Files.createTempFile("ctl-it", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException(String.join(" ", cmd) + " did not finish in 120 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
