package io.pgha.local;

import io.pgha.config.DcsTiming;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where everything of one local cluster lives: its ports and its paths under DIR. Pure.
 *
 * <p>Ports are laid out from a base B (default {@value #DEFAULT_PORT_BASE}, far from a PostgreSQL on 5432):
 * <pre>
 *   B+0           HAProxy read-write (→ the primary's PgBouncer)
 *   B+1           HAProxy read-only  (→ the standbys' PgBouncers, round robin)
 *   B+2           HAProxy stats page (http)
 *   B+11 .. B+13  etcd client ports  (e1..e3)
 *   B+21 .. B+23  etcd peer ports    (e1..e3)
 *   B+100+k       PostgreSQL of member mk   (k = 1..{@value #MAX_MEMBERS})
 *   B+200+k       PgBouncer of member mk
 *   B+300+k       agent REST API of member mk
 * </pre>
 * Everything binds 127.0.0.1 only.
 */
public record LocalLayout(Path dir, String scope, String namespace, DcsTiming timing,
                          List<EtcdMember> etcd, HaproxyPorts haproxy, List<Member> members) {

    public static final int DEFAULT_PORT_BASE = 16000;
    public static final int DEFAULT_MEMBERS = 3;
    public static final String DEFAULT_SCOPE = "pgha-local";
    public static final String NAMESPACE = "/service/";
    public static final String HOST = "127.0.0.1";
    public static final int MAX_MEMBERS = 99;
    /** The highest offset used from the base. */
    static final int SPAN = 300 + MAX_MEMBERS;
    static final int ETCD_MEMBERS = 3;

    /**
     * One etcd member: {@code e1..e3}.
     *
     * @param agentPort the port the agents reach this member's client API at: its client port unless a proxy
     *                  sits between them (pgha chaos's slow-etcd fault)
     */
    public record EtcdMember(String name, int clientPort, int peerPort, int agentPort) {
        public EtcdMember(String name, int clientPort, int peerPort) {
            this(name, clientPort, peerPort, clientPort);
        }

        public String clientUrl() {
            return "http://" + HOST + ":" + clientPort;
        }

        public String peerUrl() {
            return "http://" + HOST + ":" + peerPort;
        }
    }

    public record HaproxyPorts(int readWrite, int readOnly, int stats) {}

    /**
     * One cluster member {@code m1..mN}: PostgreSQL, its agent and its PgBouncer.
     *
     * @param advertisedPostgresPort the port in the member's {@code postgresql.connect_address} (its conn_url in
     *                               the DCS, which standbys, pg_rewind and pg_basebackup connect to); the
     *                               PostgreSQL port itself unless a proxy sits in the replication path
     */
    public record Member(String name, int postgresPort, int pgbouncerPort, int restPort, int advertisedPostgresPort) {
        public Member(String name, int postgresPort, int pgbouncerPort, int restPort) {
            this(name, postgresPort, pgbouncerPort, restPort, postgresPort);
        }

        public String restUrl() {
            return "http://" + HOST + ":" + restPort + "/patroni";
        }

        public String restBase() {
            return "http://" + HOST + ":" + restPort;
        }
    }

    public LocalLayout {
        dir = dir.toAbsolutePath().normalize();
        etcd = List.copyOf(etcd);
        members = List.copyOf(members);
    }

    /** The deterministic layout for a new cluster. */
    public static LocalLayout fromPortBase(Path dir, String scope, int memberCount, int portBase, DcsTiming timing) {
        checkScope(scope);
        if (memberCount < 1 || memberCount > MAX_MEMBERS) {
            throw LocalException.badInput("--members must be between 1 and " + MAX_MEMBERS + " (got " + memberCount + ")");
        }
        if (portBase < 1024 || portBase + SPAN > 65535) {
            throw LocalException.badInput("--port-base must be between 1024 and " + (65535 - SPAN)
                    + " so that all ports up to base+" + SPAN + " are valid (got " + portBase + ")");
        }
        List<EtcdMember> etcd = new ArrayList<>();
        for (int i = 1; i <= ETCD_MEMBERS; i++) {
            etcd.add(new EtcdMember("e" + i, portBase + 10 + i, portBase + 20 + i));
        }
        List<Member> members = new ArrayList<>();
        for (int k = 1; k <= memberCount; k++) {
            members.add(new Member("m" + k, portBase + 100 + k, portBase + 200 + k, portBase + 300 + k));
        }
        return new LocalLayout(dir, scope, NAMESPACE, timing, etcd,
                new HaproxyPorts(portBase, portBase + 1, portBase + 2), members);
    }

    static void checkScope(String scope) {
        if (scope == null || !scope.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
            throw LocalException.badInput("--scope must be 1-63 letters, digits, '.', '_' or '-' (got '" + scope + "')");
        }
    }

    /**
     * This layout with every member advertising its PostgreSQL at port (PostgreSQL port + {@code offset}): a
     * proxy must serve those ports and forward to the PostgreSQL ports (pgha chaos does, adding latency).
     * 0 advertises the PostgreSQL ports themselves.
     */
    public LocalLayout withPostgresAdvertiseOffset(int offset) {
        List<Integer> own = allPorts();
        List<Member> moved = new ArrayList<>();
        for (Member m : members) {
            int port = m.postgresPort() + offset;
            if (offset != 0 && (offset < 0 || port > 65535 || own.contains(port))) {
                throw LocalException.badInput("--pg-advertise-port-offset " + offset + " gives " + m.name() + " port "
                        + port + ", which is not a free valid port of this layout");
            }
            moved.add(new Member(m.name(), m.postgresPort(), m.pgbouncerPort(), m.restPort(), port));
        }
        return new LocalLayout(dir, scope, namespace, timing, etcd, haproxy, moved);
    }

    /**
     * This layout with the agents reaching etcd member k at (its client port + {@code offset}): a proxy must
     * serve those ports and forward to the client ports (pgha chaos does, delaying every etcd call when told).
     * 0 lets the agents reach etcd directly. The cluster's own tools (health checks, patronictl) always do.
     */
    public LocalLayout withEtcdAgentOffset(int offset) {
        List<Integer> own = allPorts();
        List<EtcdMember> moved = new ArrayList<>();
        for (EtcdMember e : etcd) {
            int port = e.clientPort() + offset;
            if (offset != 0 && (offset < 0 || port > 65535 || own.contains(port)
                    || members.stream().anyMatch(m -> m.advertisedPostgresPort() == port))) {
                throw LocalException.badInput("--etcd-port-offset " + offset + " gives etcd " + e.name() + " port "
                        + port + ", which is not a free valid port of this layout");
            }
            moved.add(new EtcdMember(e.name(), e.clientPort(), e.peerPort(), port));
        }
        return new LocalLayout(dir, scope, namespace, timing, moved, haproxy, members);
    }

    /** Where the agents reach etcd (host:port each): the client ports, or the proxies in front of them. */
    public List<String> agentEtcdHosts() {
        return etcd.stream().map(e -> HOST + ":" + e.agentPort()).toList();
    }

    /** Every port the cluster listens on. */
    public List<Integer> allPorts() {
        List<Integer> ports = new ArrayList<>(List.of(haproxy.readWrite(), haproxy.readOnly(), haproxy.stats()));
        etcd.forEach(e -> ports.addAll(List.of(e.clientPort(), e.peerPort())));
        members.forEach(m -> ports.addAll(List.of(m.postgresPort(), m.pgbouncerPort(), m.restPort())));
        return ports;
    }

    public List<String> etcdHosts() {
        return etcd.stream().map(e -> HOST + ":" + e.clientPort()).toList();
    }

    public Member member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member " + name));
    }

    // ---- paths ----

    public Path clusterFile() {
        return dir.resolve("cluster.json");
    }

    public Path patronictlFile() {
        return dir.resolve("patronictl.yaml");
    }

    public Path secretsDir() {
        return dir.resolve("secrets");
    }

    /** PostgreSQL's Unix sockets: short, because a socket path may not exceed 107 bytes. */
    public Path socketDir() {
        return dir.resolve("run");
    }

    public Path etcdDataDir(EtcdMember e) {
        return dir.resolve("etcd").resolve(e.name());
    }

    public Path etcdLog(EtcdMember e) {
        return dir.resolve("etcd").resolve(e.name() + ".log");
    }

    public Path haproxyDir() {
        return dir.resolve("haproxy");
    }

    public Path haproxyConfig() {
        return haproxyDir().resolve("haproxy.cfg");
    }

    public Path haproxyPidFile() {
        return haproxyDir().resolve("haproxy.pid");
    }

    public Path haproxyLog() {
        return haproxyDir().resolve("haproxy.log");
    }

    public Path memberDir(Member m) {
        return dir.resolve(m.name());
    }

    public Path dataDir(Member m) {
        return memberDir(m).resolve("data");
    }

    public Path agentConfig(Member m) {
        return memberDir(m).resolve("patroni.yml");
    }

    public Path agentLog(Member m) {
        return memberDir(m).resolve("agent.log");
    }

    public Path pgbouncerConfig(Member m) {
        return memberDir(m).resolve("pgbouncer.ini");
    }

    public Path pgbouncerUserlist(Member m) {
        return memberDir(m).resolve("userlist.txt");
    }

    public Path pgbouncerPidFile(Member m) {
        return memberDir(m).resolve("pgbouncer.pid");
    }

    public Path pgbouncerLog(Member m) {
        return memberDir(m).resolve("pgbouncer.log");
    }
}
