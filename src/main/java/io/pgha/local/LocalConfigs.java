package io.pgha.local;

import io.pgha.config.AgentConfig;
import io.pgha.config.AgentYamlRenderer;
import io.pgha.config.HaproxyConfig;
import io.pgha.config.HaproxyConfigRenderer;
import io.pgha.config.PatronictlConfigRenderer;
import io.pgha.config.PgbouncerConfig;
import io.pgha.config.PgbouncerConfigRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * Derives each process's configuration from the layout and writes the files. Files that hold a password
 * are created mode 600; the others 644. Rendering is repeated on every {@code up}, so a restarted cluster
 * always runs with the current renderers' output.
 */
final class LocalConfigs {

    /**
     * Local connections over the Unix socket are trusted: the socket lives in DIR/run, which only the
     * cluster's OS user (and root) can enter. Everything over TCP needs a SCRAM password.
     */
    static final List<String> PG_HBA = List.of(
            "local all all trust",
            "host replication " + LocalSecrets.REPLICATION + " 127.0.0.1/32 scram-sha-256",
            "host all all 127.0.0.1/32 scram-sha-256");

    private final LocalLayout layout;
    private final LocalSecrets secrets;
    private final Path pgBinDir;

    private final io.pgha.config.DcsReplication replication;

    LocalConfigs(LocalLayout layout, LocalSecrets secrets, Path pgBinDir) {
        this(layout, secrets, pgBinDir, io.pgha.config.DcsReplication.ASYNC);
    }

    /** @param replication seeded into bootstrap.dcs: it takes effect when the cluster is created, not on a restart */
    LocalConfigs(LocalLayout layout, LocalSecrets secrets, Path pgBinDir, io.pgha.config.DcsReplication replication) {
        this.replication = replication;
        this.layout = layout;
        this.secrets = secrets;
        this.pgBinDir = pgBinDir;
    }

    AgentConfig agent(LocalLayout.Member m) {
        String rest = LocalLayout.HOST + ":" + m.restPort();
        String pg = LocalLayout.HOST + ":" + m.postgresPort();
        String advertised = LocalLayout.HOST + ":" + m.advertisedPostgresPort();
        return new AgentConfig(layout.scope(), layout.namespace(), m.name(), rest, rest, secrets.restApi(), layout.agentEtcdHosts(),
                layout.timing(), AgentConfig.DEFAULT_MAXIMUM_LAG_ON_FAILOVER, pg, advertised,
                layout.dataDir(m).toString(), pgBinDir.toString(),
                secrets.superuser(), secrets.replication(), secrets.rewind(),
                Map.of("unix_socket_directories", layout.socketDir().toString(),
                        // several members share one small machine
                        "shared_buffers", "64MB"),
                Map.of("wal_log_hints", "on"),
                PG_HBA, Map.of(), replication);
    }

    PgbouncerConfig pgbouncer(LocalLayout.Member m) {
        return new PgbouncerConfig(LocalLayout.HOST, m.pgbouncerPort(), LocalLayout.HOST, m.postgresPort(),
                layout.pgbouncerUserlist(m).toString(), layout.pgbouncerPidFile(m).toString(),
                layout.pgbouncerLog(m).toString(), LocalSecrets.SUPERUSER, 200, 20);
    }

    HaproxyConfig haproxy() {
        return new HaproxyConfig(LocalLayout.HOST, layout.haproxy().readWrite(), layout.haproxy().readOnly(),
                layout.haproxy().stats(), layout.members().stream()
                .map(m -> new HaproxyConfig.Server(m.name(), LocalLayout.HOST, m.pgbouncerPort(), m.restPort()))
                .toList());
    }

    /** Creates the directories and writes every configuration file. */
    void writeAll() {
        try {
            createDirectory(layout.socketDir(), "rwx------");
            createDirectory(layout.haproxyDir(), "rwxr-xr-x");
            createDirectory(layout.dir().resolve("etcd"), "rwx------");
            var bouncer = new PgbouncerConfigRenderer();
            for (LocalLayout.Member m : layout.members()) {
                createDirectory(layout.memberDir(m), "rwx------");
                write(layout.agentConfig(m), new AgentYamlRenderer().render(agent(m)), true);
                write(layout.pgbouncerConfig(m), bouncer.render(pgbouncer(m)), false);
                write(layout.pgbouncerUserlist(m), bouncer.renderUserlist(
                        Map.of(secrets.superuser().username(), secrets.superuser().password())), true);
            }
            write(layout.haproxyConfig(), new HaproxyConfigRenderer().render(haproxy()), false);
            write(layout.patronictlFile(), new PatronictlConfigRenderer()
                    .render(layout.scope(), layout.namespace(), layout.etcdHosts(), secrets.restApi()), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configuration under " + layout.dir(), e);
        }
    }

    private static void createDirectory(Path dir, String mode) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
    }

    /** Writes through a new file created with the final mode, so a secret is never readable by others. */
    private static void write(Path file, String text, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
