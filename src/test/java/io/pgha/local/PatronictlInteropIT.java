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
 * Debian's patronictl 3.0.2, unchanged, operating a pgha cluster (issue 4): it only knows Patroni's etcd keys
 * and REST API, so every command that works here shows that pgha speaks both.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatronictlInteropIT extends OneLocalCluster {
    private static final ObjectMapper JSON = new ObjectMapper();


    /** Runs patronictl with the cluster's patronictl.yaml; fails the test on a non-zero exit. */
    private static String patronictl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("patronictl", "-c", cluster.dir.resolve("patronictl.yaml").toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("patronictl", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("patronictl %s finished", args[0]).isTrue();
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("patronictl %s said:%n%s", String.join(" ", args), text).isZero();
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String leaderPerPatronictl() throws IOException, InterruptedException {
        JsonNode rows = JSON.readTree(patronictl("list", "-f", "json"));
        for (JsonNode r : rows) {
            if ("Leader".equals(r.path("Role").asText())) {
                return r.path("Member").asText();
            }
        }
        return "";
    }

    @Test
    @Order(1)
    void show_config_edit_config_and_history() throws Exception {
        assertThat(patronictl("show-config")).contains("ttl:").contains("loop_wait:");
        assertThat(patronictl("edit-config", "-s", "maximum_lag_on_failover=2097152", "--force")).contains("Configuration changed");
        String leader = cluster.awaitLeader();
        // the agent answers GET /config from its view of etcd, which catches up through its watch
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.rest(leader, "GET", "/config", null, false).json()
                .path("maximum_lag_on_failover").asLong() == 2097152);
        assertThat(patronictl("history")).contains("| TL |");
    }

    @Test
    @Order(2)
    void pause_and_resume_wait_until_every_member_has_seen_them() throws Exception {
        assertThat(patronictl("pause", "--wait")).contains("Success: cluster management is paused");
        await().atMost(Duration.ofSeconds(30)).until(() -> patronictl("list").contains("Maintenance mode: on"));
        assertThat(patronictl("resume", "--wait")).contains("Success: cluster management is resumed");
        await().atMost(Duration.ofSeconds(30)).until(() -> !patronictl("list").contains("Maintenance mode"));
    }

    @Test
    @Order(3)
    void restart_and_reinit_of_a_replica() throws Exception {
        String leader = cluster.awaitLeader();
        String replica = others(leader).get(0);
        assertThat(patronictl("restart", cluster.file().scope(), replica, "--force")).contains("Success: restart on member " + replica);
        assertThat(patronictl("reinit", cluster.file().scope(), replica, "--force", "--wait"))
                .contains("Reinitialize is completed on: " + replica);
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.streamingStandbys(leader).contains(replica));
        await().atMost(Duration.ofSeconds(10)).until(cluster::leader, l -> l.equals(java.util.Optional.of(leader)));
    }

    /**
     * HAProxy configured as Patroni's documentation shows (OPTIONS /primary and /replica health checks on each
     * member's REST port, inter 3s fall 3 rise 2, shutdown-sessions), nothing pgha-specific: the read-write port
     * must reach the primary and the read-only port a standby.
     */
    @Test
    @Order(4)
    void haproxy_configured_from_patronis_documentation_routes_writes_and_reads() throws Exception {
        int rw = freePort();
        int ro = freePort();
        StringBuilder cfg = new StringBuilder()
                .append("global\n    maxconn 100\n\n")
                .append("defaults\n    log global\n    mode tcp\n    retries 2\n    timeout client 30m\n")
                .append("    timeout connect 4s\n    timeout server 30m\n    timeout check 5s\n\n");
        for (String[] l : new String[][] {{"primary", Integer.toString(rw), "/primary"}, {"replicas", Integer.toString(ro), "/replica"}}) {
            cfg.append("listen ").append(l[0]).append("\n    bind 127.0.0.1:").append(l[1]).append('\n')
                    .append("    option httpchk OPTIONS ").append(l[2]).append('\n')
                    .append("    http-check expect status 200\n")
                    .append("    default-server inter 3s fall 3 rise 2 on-marked-down shutdown-sessions\n");
            for (ClusterFile.Member m : cluster.file().members()) {
                cfg.append("    server postgresql_").append(m.name()).append(" 127.0.0.1:").append(m.postgresPort())
                        .append(" maxconn 100 check port ").append(m.restPort()).append('\n');
            }
            cfg.append('\n');
        }
        Path file = Files.createTempFile("patroni-docs-haproxy", ".cfg");
        Files.writeString(file, cfg.toString());
        Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String leader = cluster.awaitLeader();
            int leaderPort = cluster.member(leader).postgresPort();
            await().atMost(Duration.ofSeconds(30)).until(() -> serverPort(rw) == leaderPort);
            await().atMost(Duration.ofSeconds(30)).until(() -> { int p = serverPort(ro); return p > 0 && p != leaderPort; });
        } finally {
            haproxy.destroy();
            assertThat(haproxy.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Files.deleteIfExists(file);
        }
    }

    /** The PostgreSQL port behind a HAProxy port, or -1 when no connection gets through. */
    private static int serverPort(int port) {
        try (java.sql.Connection c = cluster.connect(port); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    @Order(5)
    void switchover_and_failover() throws Exception {
        String leader = cluster.awaitLeader();
        String candidate = others(leader).get(0);
        patronictl("switchover", "--leader", leader, "--candidate", candidate, "--force");
        await().atMost(Duration.ofSeconds(30)).until(() -> candidate.equals(leaderPerPatronictl()));
        cluster.awaitHealthy();

        String target = others(candidate).stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        patronictl("failover", "--candidate", target, "--force");
        await().atMost(Duration.ofSeconds(30)).until(() -> target.equals(leaderPerPatronictl()));
        cluster.awaitHealthy();
        // each new leader appends to the history key after its promotion
        await().atMost(Duration.ofSeconds(30)).until(() -> patronictl("history").contains(candidate) && patronictl("history").contains(target));
    }
}
