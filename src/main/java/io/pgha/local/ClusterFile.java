package io.pgha.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pgha.config.DcsTiming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * DIR/cluster.json: what a local cluster is made of and which processes run it. Tests, benchmarks and
 * {@code pgha local status/down} read it, so its field names are a contract: do not rename them.
 * A pid is null until the process has been started.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ClusterFile(String scope, String namespace, Etcd etcd, Haproxy haproxy, Superuser superuser,
                          List<Member> members, Timing timing) {

    public record Etcd(List<String> endpoints, List<EtcdMember> members) {}

    /** {@code agentPort}: where the agents reach it, when not the client port (null: the client port). */
    public record EtcdMember(String name, int clientPort, int peerPort, Long pid, Integer agentPort) {}

    public record Haproxy(int readWritePort, int readOnlyPort, int statsPort, Long pid) {}

    public record Superuser(String username, String passwordFile) {}

    /** {@code advertisedPostgresPort}: the port in the member's conn_url (null in files written before it existed). */
    public record Member(String name, String host, int postgresPort, int pgbouncerPort, int restPort,
                         String restUrl, String dataDir, Long agentPid, Long pgbouncerPid, Integer advertisedPostgresPort) {}

    public record Timing(int ttl, int loopWait, int retryTimeout) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The file for a layout, with the pids known so far. */
    public static ClusterFile of(LocalLayout l, String superuserName, Path passwordFile, Pids pids) {
        List<EtcdMember> etcd = l.etcd().stream()
                .map(e -> new EtcdMember(e.name(), e.clientPort(), e.peerPort(), pids.etcd(e.name()),
                        e.agentPort() == e.clientPort() ? null : e.agentPort())).toList();
        List<Member> members = l.members().stream()
                .map(m -> new Member(m.name(), LocalLayout.HOST, m.postgresPort(), m.pgbouncerPort(), m.restPort(),
                        m.restUrl(), l.dataDir(m).toString(), pids.agent(m.name()), pids.pgbouncer(m.name()),
                        m.advertisedPostgresPort()))
                .toList();
        return new ClusterFile(l.scope(), l.namespace(), new Etcd(l.etcdHosts(), etcd),
                new Haproxy(l.haproxy().readWrite(), l.haproxy().readOnly(), l.haproxy().stats(), pids.haproxy()),
                new Superuser(superuserName, passwordFile.toString()), members,
                new Timing(l.timing().ttl(), l.timing().loopWait(), l.timing().retryTimeout()));
    }

    /** The layout recorded in this file (ports as they were chosen when the cluster was created). */
    public LocalLayout layout(Path dir) {
        LocalLayout.checkScope(scope);
        return new LocalLayout(dir, scope, namespace, new DcsTiming(timing.ttl(), timing.loopWait(), timing.retryTimeout()),
                etcd.members().stream().map(e -> new LocalLayout.EtcdMember(e.name(), e.clientPort(), e.peerPort(),
                        Objects.requireNonNullElse(e.agentPort(), e.clientPort()))).toList(),
                new LocalLayout.HaproxyPorts(haproxy.readWritePort(), haproxy.readOnlyPort(), haproxy.statsPort()),
                members.stream().map(m -> new LocalLayout.Member(m.name(), m.postgresPort(), m.pgbouncerPort(), m.restPort(),
                                Objects.requireNonNullElse(m.advertisedPostgresPort(), m.postgresPort())))
                        .toList());
    }

    /** Every pid recorded in this file. */
    public Pids pids() {
        Pids p = new Pids();
        etcd.members().forEach(e -> p.setEtcd(e.name(), e.pid()));
        members.forEach(m -> {
            p.setAgent(m.name(), m.agentPid());
            p.setPgbouncer(m.name(), m.pgbouncerPid());
        });
        p.setHaproxy(haproxy.pid());
        return p;
    }

    public static ClusterFile read(Path file) {
        try {
            return JSON.readValue(file.toFile(), ClusterFile.class);
        } catch (IOException e) {
            throw LocalException.badInput("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Writes atomically (temporary file, then rename), so a reader never sees half a file. */
    public void write(Path file) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
