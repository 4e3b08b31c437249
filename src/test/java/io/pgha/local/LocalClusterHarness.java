package io.pgha.local;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Drives a real `pgha local` cluster from tests through the built jar, the way a user would: up, down,
 * cluster.json, the members' REST APIs, PostgreSQL over JDBC and processes by pid.
 */
final class LocalClusterHarness implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    final Path dir;
    final int portBase;
    private final Path jar;
    private final String password;
    private ClusterFile file;

    private LocalClusterHarness(Path dir, int portBase, Path jar, String... upOptions) throws IOException {
        this.dir = dir;
        this.portBase = portBase;
        this.jar = jar;
        List<String> up = new ArrayList<>(List.of("up", "--dir", dir.toString(), "--port-base", Integer.toString(portBase)));
        up.addAll(List.of(upOptions));
        run(up.toArray(String[]::new));
        this.file = ClusterFile.read(dir.resolve("cluster.json"));
        this.password = Files.readString(Path.of(file.superuser().passwordFile())).strip();
    }

    /** Starts a new 3-member cluster in a fresh directory on free ports; {@code upOptions} go to the first `up`. */
    static LocalClusterHarness start(String... upOptions) throws IOException {
        Path jar = Path.of(System.getProperty("pgha.jar", "target/pgha.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn package` first (failsafe runs after it)");
        }
        Path base = Files.createTempDirectory("pgha-it");
        // the cluster may run as the unprivileged pgha user, which must be able to reach its directory and
        // read the jar its agents run from (a checkout under /root is private)
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path readableJar = Files.copy(jar, base.resolve("pgha.jar"));
        Files.setPosixFilePermissions(readableJar, PosixFilePermissions.fromString("rw-r--r--"));
        return new LocalClusterHarness(base.resolve("cluster"), freePortBase(), readableJar, upOptions);
    }

    /** `pgha local up` again: restarts whatever of the cluster is not running. */
    void upAgain() throws IOException {
        run("up", "--dir", dir.toString());
        file = ClusterFile.read(dir.resolve("cluster.json"));
    }

    String run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(), "local"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("pgha-local", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("pgha local " + args[0] + " did not finish in 240 s");
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IOException("pgha local " + String.join(" ", args) + " failed (" + p.exitValue() + "):\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    ClusterFile file() {
        return file;
    }

    ClusterFile.Member member(String name) {
        return file.members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    /** HTTP status of GET on a member's REST API path, or -1 when it does not answer. */
    int restStatus(String member, String path) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + member(member).restPort() + path))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    JsonNode restJson(String member, String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + member(member).restPort() + path))
                .timeout(Duration.ofSeconds(2)).GET().build();
        return JSON.readTree(HTTP.send(r, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** One REST reply: status, body and headers. */
    record Reply(int status, String body, java.util.Map<String, List<String>> headers) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /**
     * Any REST call on a member; {@code authenticated} adds the cluster's REST login (DIR/secrets), {@code
     * extraHeaders} are name/value pairs.
     */
    Reply rest(String member, String method, String path, String body, boolean authenticated, String... extraHeaders)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + member(member).restPort() + path))
                .timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authenticated) {
            String restPassword = Files.readString(dir.resolve("secrets").resolve("restapi.password")).strip();
            b.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(("patroni:" + restPassword).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
            b.header(extraHeaders[i], extraHeaders[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers().map());
    }

    /** The member answering 200 on GET /primary, if exactly one does. */
    Optional<String> leader() {
        List<String> leaders = file.members().stream().map(ClusterFile.Member::name)
                .filter(m -> restStatus(m, "/primary") == 200).toList();
        return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
    }

    String awaitLeader() {
        return await().atMost(Duration.ofSeconds(60)).until(this::leader, Optional::isPresent).orElseThrow();
    }

    List<String> names() {
        return file.members().stream().map(ClusterFile.Member::name).sorted().toList();
    }

    /** The sync standbys GET /cluster reports (it reads the sync key), asked of any member that answers. */
    List<String> syncStandbys() {
        for (String m : names()) {
            JsonNode c;
            try {
                c = restJson(m, "/cluster");
            } catch (IOException e) {
                continue; // that member is down: ask the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
            List<String> out = new ArrayList<>();
            c.path("members").forEach(x -> {
                if ("sync_standby".equals(x.path("role").asText())) {
                    out.add(x.path("name").asText());
                }
            });
            return out.stream().sorted().toList();
        }
        return List.of();
    }

    List<String> awaitSyncStandbys(int count) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(this::syncStandbys, s -> s.size() == count);
    }

    /** Waits until one leader streams to every other member. */
    void awaitHealthy() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Optional<String> l = leader();
            return l.isPresent() && streamingStandbys(l.get()).size() == file.members().size() - 1;
        });
    }

    List<String> streamingStandbys(String leader) {
        List<String> names = new ArrayList<>();
        try (Connection c = connect(member(leader).postgresPort()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            return List.of();
        }
        return names;
    }

    Connection connect(int port) throws SQLException {
        return connect(port, 3);
    }

    /** @param socketTimeoutSeconds 0 waits for an answer as long as it takes (a commit waiting for a sync standby) */
    Connection connect(int port, int socketTimeoutSeconds) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", file.superuser().username());
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        p.setProperty("preferQueryMode", "simple"); // PgBouncer in transaction mode: no server-side prepared statements
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    /** One autocommit INSERT through HAProxy's read-write port; returns the PostgreSQL port that took it. */
    int writeThroughHaproxy(String tag) throws SQLException {
        try (Connection c = connect(file.haproxy().readWritePort()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS it_writes(tag text, at timestamptz DEFAULT clock_timestamp())");
            try (ResultSet rs = st.executeQuery("INSERT INTO it_writes(tag) VALUES ('" + tag + "') RETURNING inet_server_port()")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Port that accepted a write through HAProxy, or -1 while writes fail. */
    int tryWrite(String tag) {
        try {
            return writeThroughHaproxy(tag);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** True when the member's own PostgreSQL takes a write right now. */
    boolean acceptsWritesDirectly(String member) {
        try (Connection c = connect(member(member).postgresPort()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS it_direct(at timestamptz)");
            st.execute("INSERT INTO it_direct VALUES (clock_timestamp())");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    int timeline(String member) throws IOException, InterruptedException {
        return restJson(member, "/patroni").path("timeline").asInt();
    }

    long postmasterPid(String member) throws IOException {
        return Long.parseLong(Files.readAllLines(Path.of(member(member).dataDir(), "postmaster.pid")).get(0).trim());
    }

    /** The agent's pid as running now (cluster.json is rewritten by every `up`). */
    long agentPid(String member) {
        return member(member).agentPid();
    }

    /**
     * A member's machine dies: SIGKILL to its agent, postmaster and the postmaster's children. The pids are
     * read first; a child that exits with its postmaster before its own signal is already where we want it.
     */
    void killMember(String member) throws IOException {
        List<Long> pids = new ArrayList<>(postgresProcesses(member));
        pids.add(0, agentPid(member));
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    static void signal(long pid, String signal) throws IOException {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("kill -" + signal + " " + pid + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The postmaster and its children, as a machine loss would take them. */
    List<Long> postgresProcesses(String member) throws IOException {
        long pm = postmasterPid(member);
        List<Long> pids = new ArrayList<>(List.of(pm));
        ProcessHandle.of(pm).ifPresent(h -> h.children().forEach(c -> pids.add(c.pid())));
        return pids;
    }

    String agentLog(String member) throws IOException {
        return Files.readString(dir.resolve(member).resolve("agent.log"));
    }

    @Override
    public void close() throws IOException {
        try {
            run("down", "--dir", dir.toString());
        } finally {
            deleteTree(dir.getParent());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A base port whose whole span (ports base .. base+399) is free right now and lies below the kernel's
     * ephemeral range: a port in that range can be taken by any outgoing connection between this check and the
     * moment a member binds it (it happened: an agent's REST port at 52100 was taken, and the agent exited).
     */
    static int freePortBase() {
        int highest = Math.max(20_500, ephemeralLow()) - 400; // the span must end below the ephemeral range
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(0, (highest - 20_000) / 100 + 1) * 100;
            if (allFree(base, 400)) {
                return base;
            }
        }
        throw new IllegalStateException("no free span of 400 ports found on 127.0.0.1");
    }

    /** The first port of the kernel's ephemeral range (32768 where it cannot be read). */
    private static int ephemeralLow() {
        try {
            // readAllLines: a /proc file reports size 0, and a read sized by it can come back short
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean allFree(int base, int span) {
        for (int p = base; p < base + span; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(false);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
