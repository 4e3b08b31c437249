package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgha.config.AgentConfig;
import io.pgha.config.DcsTiming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalConfigsTest {

    @TempDir
    Path dir;

    private LocalLayout layout() {
        return LocalLayout.fromPortBase(dir, "demo", 2, 16000, new DcsTiming(10, 2, 4));
    }

    @Test
    void a_member_agent_config_points_at_its_own_ports_paths_and_the_shared_etcd() {
        LocalLayout l = layout();
        LocalSecrets s = LocalSecrets.loadOrCreate(l.secretsDir());

        AgentConfig c = new LocalConfigs(l, s, Path.of("/usr/lib/postgresql/15/bin")).agent(l.member("m2"));

        assertThat(c.name()).isEqualTo("m2");
        assertThat(c.scope()).isEqualTo("demo");
        assertThat(c.namespace()).isEqualTo("/service/");
        assertThat(c.restApiListen()).isEqualTo("127.0.0.1:16302");
        assertThat(c.postgresListen()).isEqualTo("127.0.0.1:16102");
        assertThat(c.postgresConnectAddress()).isEqualTo("127.0.0.1:16102");
        LocalLayout proxied = l.withPostgresAdvertiseOffset(400);
        AgentConfig viaProxy = new LocalConfigs(proxied, s, Path.of("/usr/lib/postgresql/15/bin")).agent(proxied.member("m2"));
        assertThat(viaProxy.postgresListen()).isEqualTo("127.0.0.1:16102");
        assertThat(viaProxy.postgresConnectAddress()).isEqualTo("127.0.0.1:16502");
        assertThat(c.dataDir()).isEqualTo(dir.resolve("m2/data").toString());
        assertThat(c.etcdHosts()).containsExactly("127.0.0.1:16011", "127.0.0.1:16012", "127.0.0.1:16013");
        LocalLayout etcdProxied = l.withEtcdAgentOffset(470);
        assertThat(new LocalConfigs(etcdProxied, s, Path.of("/usr/lib/postgresql/15/bin")).agent(etcdProxied.member("m2"))
                .etcdHosts()).containsExactly("127.0.0.1:16481", "127.0.0.1:16482", "127.0.0.1:16483");
        assertThat(c.timing()).isEqualTo(new DcsTiming(10, 2, 4));
        assertThat(c.parameters()).containsEntry("unix_socket_directories", dir.resolve("run").toString());
        assertThat(c.dcsParameters()).containsEntry("wal_log_hints", "on");
        assertThat(c.superuser()).isEqualTo(s.superuser());
    }

    @Test
    void files_holding_passwords_are_owner_only_and_everything_is_written() throws Exception {
        LocalLayout l = layout();
        LocalSecrets s = LocalSecrets.loadOrCreate(l.secretsDir());

        new LocalConfigs(l, s, Path.of("/usr/lib/postgresql/15/bin")).writeAll();

        LocalLayout.Member m1 = l.member("m1");
        assertThat(mode(l.agentConfig(m1))).isEqualTo("rw-------");
        assertThat(mode(l.pgbouncerUserlist(m1))).isEqualTo("rw-------");
        assertThat(mode(l.memberDir(m1))).isEqualTo("rwx------");
        assertThat(mode(l.socketDir())).isEqualTo("rwx------");
        assertThat(mode(l.haproxyConfig())).isEqualTo("rw-r--r--");
        assertThat(Files.readString(l.pgbouncerUserlist(m1))).isEqualTo(
                "\"postgres\" \"" + s.superuser().password() + "\"\n");
        assertThat(Files.readString(l.pgbouncerConfig(m1))).contains("port=16101", "listen_port = 16201");
        assertThat(Files.readString(l.haproxyConfig())).contains("server m2 127.0.0.1:16202 check port 16302");
        JsonNode ctl = new ObjectMapper(new YAMLFactory()).readTree(l.patronictlFile().toFile());
        assertThat(ctl.path("scope").asText()).isEqualTo("demo");
        JsonNode agent = new ObjectMapper(new YAMLFactory()).readTree(l.agentConfig(m1).toFile());
        assertThat(agent.at("/postgresql/authentication/superuser/password").asText()).isEqualTo(s.superuser().password());
        try (var leftovers = Files.walk(dir)) {
            assertThat(leftovers.filter(p -> p.toString().endsWith(".new"))).isEmpty();
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
