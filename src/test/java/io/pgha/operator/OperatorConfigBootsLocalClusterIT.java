package io.pgha.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.config.Credentials;
import io.pgha.contract.PodContract;
import io.pgha.operator.model.ClusterModel;
import io.pgha.operator.reconciler.AgentClient;
import io.pgha.operator.reconciler.HttpAgentClient;
import io.pgha.operator.resources.AgentConfigMap;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Proof that what the operator renders works: two real agents (with PostgreSQL 15) and a real etcd run from the
 * operator's agent ConfigMap, each with the environment its pod would get, only with addresses mapped to
 * loopback (pods have their own network; processes on one machine need distinct ports) and the socket
 * directory moved into a temporary directory. The operator's REST client of the agents then reads the member
 * facts and asks for a switchover with the login the pods get.
 */
class OperatorConfigBootsLocalClusterIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    static final String SUPERUSER_PASSWORD = "it-superuser-password";
    static final String REST_PASSWORD = "it-restapi-password";

    final List<Process> processes = new ArrayList<>();
    Path base;

    @AfterEach
    void stopAll() throws InterruptedException {
        // agents first (they stop PostgreSQL cleanly), etcd last
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (base != null) {
            try (var all = Files.walk(base)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // best effort: a leftover temporary directory fails nothing
            }
        }
    }

    @Test
    void twoMembersBootFromTheRenderedConfigurationAndReplicate() throws Exception {
        base = Files.createTempDirectory("pgha-operator-it");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.copy(Path.of(System.getProperty("pgha.jar", "target/pgha.jar")).toAbsolutePath(),
                base.resolve("pgha.jar"));
        Path sockets = Files.createDirectories(base.resolve("run"));
        int etcdPort = freePort();
        startEtcd(base, etcdPort, freePort());

        ClusterModel model = ClusterModel.from(Serialization.unmarshal("""
                apiVersion: pgha.io/v1
                kind: PostgresCluster
                metadata: {name: shop, namespace: it}
                spec:
                  instances: 2
                  postgres: {version: 15}
                  ha: {ttl: 10, loopWait: 2, retryTimeout: 3}
                  replication: {mode: sync, syncStandbys: 1}
                  databases: [{name: shop, owner: shop_app}, {name: shared}]
                  users: [{name: shop_app, databases: [shop, shared], options: ["CONNECTION LIMIT 20"]}]
                  extensions: [pgcrypto]
                """, PostgresCluster.class));
        var configMap = AgentConfigMap.build(model);
        Path config = base.resolve("agent.yaml");
        Files.writeString(config, configMap.getData().get(AgentConfigMap.AGENT_YAML)
                .replace(AgentConfigMap.SOCKET_DIR, sockets.toString())
                .replace(AgentConfigMap.PROVISIONING_FILE, base.resolve("provisioning.yaml").toString())
                .replace(AgentConfigMap.USER_SECRETS_DIR, base.resolve("users").toString()));
        Files.writeString(base.resolve("provisioning.yaml"), configMap.getData().get(AgentConfigMap.PROVISIONING_YAML));
        // as the projected Secret volume lays it out: {secret}/password
        Path userSecret = Files.createDirectories(base.resolve("users").resolve(model.names().userSecret("shop_app")));
        Files.writeString(userSecret.resolve("password"), "shop-app-password");

        int[] restPorts = {freePort(), freePort()};
        int[] pgPorts = {freePort(), freePort()};
        giveToServiceUser(base);
        for (int i = 0; i < 2; i++) {
            startAgent(jar, config, base, "shop-" + i, restPorts[i], pgPorts[i], etcdPort);
        }

        // spec.replication.mode sync reached the agents: the standby is named in the sync key; the roles are
        // taken from the same answer that showed them settled, not from a second read
        JsonNode members = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> cluster(restPorts[0]).path("members"), m -> m.size() == 2
                        && sameElements(m.findValuesAsText("role"), List.of("leader", "sync_standby"))
                        && sameElements(m.findValuesAsText("state"), List.of("running", "streaming")));
        int primary = members.get(0).path("role").asText().equals("leader")
                ? ordinal(members.get(0)) : ordinal(members.get(1));
        try (Connection c = connect(pgPorts[primary])) {
            c.createStatement().execute("CREATE TABLE rendered_by_operator (v text)");
            c.createStatement().execute("INSERT INTO rendered_by_operator VALUES ('works')");
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            try (Connection c = connect(pgPorts[1 - primary]);
                 ResultSet rs = c.createStatement().executeQuery("SELECT v FROM rendered_by_operator")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("works");
            }
        });

        // the leader created what the spec lists, and the user logs in with the password from its Secret
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPorts[primary]
                    + "/shop?sslmode=disable", "shop_app", "shop-app-password");
                 ResultSet rs = c.createStatement().executeQuery("SELECT current_user, "
                         + "(SELECT count(*) FROM pg_database WHERE datname = 'shared'), "
                         + "(SELECT rolconnlimit FROM pg_roles WHERE rolname = 'shop_app')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("shop_app");
                assertThat(rs.getInt(2)).isEqualTo(1);
                assertThat(rs.getInt(3)).isEqualTo(20);
            }
        });

        // the operator's own client of the agents: the member facts it reads, and a switchover it asks for
        HttpAgentClient agents = new HttpAgentClient();
        // the other agent answers from its own view of etcd, which may be a watch event behind
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(agents.cluster("127.0.0.1", restPorts[1 - primary])).hasValueSatisfying(r -> assertThat(r)
                        .extracting(AgentClient.MemberReport::name, AgentClient.MemberReport::role)
                        .containsExactlyInAnyOrder(tuple("shop-" + primary, "primary"), tuple("shop-" + (1 - primary), "replica"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> agents.cluster("127.0.0.1", restPorts[0]).orElseThrow()
                .stream().anyMatch(AgentClient.MemberReport::isHealthyStandby));
        assertThat(agents.switchover("127.0.0.1", restPorts[primary], new Credentials("pgha", REST_PASSWORD),
                "shop-" + primary, "shop-" + (1 - primary))).as("switchover accepted").isTrue();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(agents.cluster("127.0.0.1", restPorts[0]).orElseThrow())
                        .filteredOn(AgentClient.MemberReport::isPrimary).extracting(AgentClient.MemberReport::name)
                        .containsExactly("shop-" + (1 - primary)));
    }

    private static boolean sameElements(List<String> actual, List<String> expected) {
        return actual.stream().sorted().toList().equals(expected.stream().sorted().toList());
    }

    /** What the pod's environment provides (MemberStatefulSet), with loopback addresses and a local data dir. */
    private void startAgent(Path jar, Path config, Path base, String name, int rest, int pg, int etcd) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put(PodContract.ENV_NAME, name);
        env.put("PATRONI_RESTAPI_LISTEN", "127.0.0.1:" + rest);
        env.put(PodContract.ENV_REST_CONNECT, "127.0.0.1:" + rest);
        env.put("PATRONI_POSTGRESQL_LISTEN", "127.0.0.1:" + pg);
        env.put(PodContract.ENV_POSTGRES_CONNECT, "127.0.0.1:" + pg);
        env.put("PATRONI_POSTGRESQL_DATA_DIR", base.resolve(name).resolve("pgdata").toString());
        env.put("PATRONI_ETCD3_HOSTS", "127.0.0.1:" + etcd);
        env.put(PodContract.ENV_SUPERUSER_USERNAME, AgentConfigMap.SUPERUSER);
        env.put(PodContract.ENV_SUPERUSER_PASSWORD, SUPERUSER_PASSWORD);
        env.put(PodContract.ENV_REPLICATION_USERNAME, AgentConfigMap.REPLICATION_USER);
        env.put(PodContract.ENV_REPLICATION_PASSWORD, "it-replication-password");
        env.put(PodContract.ENV_REWIND_USERNAME, AgentConfigMap.SUPERUSER);
        env.put(PodContract.ENV_REWIND_PASSWORD, SUPERUSER_PASSWORD);
        env.put(PodContract.ENV_RESTAPI_USERNAME, "pgha");
        env.put(PodContract.ENV_RESTAPI_PASSWORD, REST_PASSWORD);
        List<String> cmd = new ArrayList<>(asServiceUser());
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(),
                "agent", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(base.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        processes.add(pb.start());
    }

    private void startEtcd(Path base, int client, int peer) throws IOException {
        processes.add(new ProcessBuilder("etcd", "--name", "it", "--data-dir", base.resolve("etcd").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + client, "--advertise-client-urls", "http://127.0.0.1:" + client,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "it=http://127.0.0.1:" + peer, "--log-level", "error")
                .redirectErrorStream(true).redirectOutput(base.resolve("etcd.log").toFile()).start());
    }

    /** PostgreSQL refuses to run as root: as root, agents run as the unprivileged user pgha local uses. */
    private static List<String> asServiceUser() {
        return isRoot() ? List.of("setpriv", "--reuid=pgha", "--regid=pgha", "--init-groups", "--") : List.of();
    }

    private static void giveToServiceUser(Path base) throws IOException, InterruptedException {
        if (isRoot()) {
            if (new ProcessBuilder("id", "pgha").start().waitFor() != 0) {
                // the same system user pgha local creates on first use
                assertThat(new ProcessBuilder("useradd", "--system", "--user-group", "--no-create-home", "--home-dir",
                        "/nonexistent", "--shell", "/usr/sbin/nologin", "pgha").inheritIO().start().waitFor()).isZero();
            }
            Process p = new ProcessBuilder("chown", "-R", "pgha:pgha", base.toString()).inheritIO().start();
            assertThat(p.waitFor()).as("chown to the pgha user").isZero();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static JsonNode cluster(int restPort) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/cluster"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static int ordinal(JsonNode member) {
        String name = member.path("name").asText();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    private static Connection connect(int port) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable",
                AgentConfigMap.SUPERUSER, SUPERUSER_PASSWORD);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
