package io.pgha.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentYamlRendererTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static AgentConfig member1() {
        return new AgentConfig("pgha-local", "/service/", "m1", "127.0.0.1:16301", "127.0.0.1:16301", null,
                List.of("127.0.0.1:16011", "127.0.0.1:16012", "127.0.0.1:16013"), new DcsTiming(6, 1, 2),
                AgentConfig.DEFAULT_MAXIMUM_LAG_ON_FAILOVER, "127.0.0.1:16101", "127.0.0.1:16101",
                "/var/tmp/c1/m1/data", "/usr/lib/postgresql/15/bin",
                new Credentials("postgres", "su-secret"), new Credentials("replicator", "repl-secret"),
                new Credentials("rewinder", "rewind-secret"),
                Map.of("unix_socket_directories", "/var/tmp/c1/run", "shared_buffers", "64MB"),
                Map.of("wal_log_hints", "on"),
                List.of("local all all trust", "host replication replicator 127.0.0.1/32 scram-sha-256",
                        "host all all 127.0.0.1/32 scram-sha-256"),
                Map.of());
    }

    private final AgentYamlRenderer renderer = new AgentYamlRenderer();

    @Test
    void a_local_member_renders_as_the_golden_patroni_file() {
        Golden.assertMatches("agent-m1.yml", renderer.render(member1()));
    }

    @Test
    void the_rendered_file_reads_back_with_patronis_keys_and_types() throws Exception {
        JsonNode y = YAML.readTree(renderer.render(member1()));

        assertThat(y.path("scope").asText()).isEqualTo("pgha-local");
        assertThat(y.path("namespace").asText()).isEqualTo("/service/");
        assertThat(y.path("name").asText()).isEqualTo("m1");
        assertThat(y.at("/restapi/listen").asText()).isEqualTo("127.0.0.1:16301");
        assertThat(y.at("/restapi/connect_address").asText()).isEqualTo("127.0.0.1:16301");
        assertThat(y.at("/restapi").has("authentication")).isFalse();
        assertThat(y.at("/etcd3/hosts").asText()).isEqualTo("127.0.0.1:16011,127.0.0.1:16012,127.0.0.1:16013");
        JsonNode dcs = y.at("/bootstrap/dcs");
        assertThat(dcs.path("ttl").isInt()).isTrue();
        assertThat(dcs.path("ttl").asInt()).isEqualTo(6);
        assertThat(dcs.path("loop_wait").asInt()).isEqualTo(1);
        assertThat(dcs.path("retry_timeout").asInt()).isEqualTo(2);
        assertThat(dcs.path("maximum_lag_on_failover").asLong()).isEqualTo(1_048_576L);
        assertThat(dcs.at("/postgresql/use_pg_rewind").isBoolean()).isTrue();
        assertThat(dcs.at("/postgresql/use_slots").asBoolean()).isTrue();
        assertThat(dcs.at("/postgresql/parameters/wal_log_hints").isTextual()).as("'on' stays a string").isTrue();
        assertThat(dcs.at("/postgresql/parameters/wal_log_hints").asText()).isEqualTo("on");
        JsonNode pg = y.path("postgresql");
        assertThat(pg.path("listen").asText()).isEqualTo("127.0.0.1:16101");
        assertThat(pg.path("connect_address").asText()).isEqualTo("127.0.0.1:16101");
        assertThat(pg.path("data_dir").asText()).isEqualTo("/var/tmp/c1/m1/data");
        assertThat(pg.path("bin_dir").asText()).isEqualTo("/usr/lib/postgresql/15/bin");
        assertThat(pg.at("/authentication/superuser/username").asText()).isEqualTo("postgres");
        assertThat(pg.at("/authentication/superuser/password").asText()).isEqualTo("su-secret");
        assertThat(pg.at("/authentication/replication/username").asText()).isEqualTo("replicator");
        assertThat(pg.at("/authentication/rewind/password").asText()).isEqualTo("rewind-secret");
        assertThat(pg.at("/parameters/unix_socket_directories").asText()).isEqualTo("/var/tmp/c1/run");
        assertThat(pg.path("pg_hba").isArray()).isTrue();
        assertThat(pg.path("pg_hba").get(1).asText()).isEqualTo("host replication replicator 127.0.0.1/32 scram-sha-256");
        assertThat(pg.path("use_pg_rewind").asBoolean()).isTrue();
        assertThat(pg.path("remove_data_directory_on_rewind_failure").asBoolean()).isTrue();
        assertThat(y.path("tags").isObject()).isTrue();
        assertThat(y.path("tags").size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"on", "off", "yes", "No", "true", "null", "~", "123", "0x1f", "1e5", "0777", "12:30",
            "2024-01-02", "-dash", "a: b", "#hash", "q\"uote", "back\\slash", "sp ace", "colon:", "*star", "&amp",
            "!bang", "@at", "`tick", "[x]", "{y}", "a,b", "%pct", "tab\there", ".5", "+1", "two  spaces", "trailing ", " leading", "a #b", ""})
    void tricky_passwords_survive_a_round_trip_as_strings(String password) throws Exception {
        AgentConfig base = member1();
        Map<String, Object> params = Map.of("application_name", password.isEmpty() ? "x" : password);
        AgentConfig tricky = new AgentConfig(base.scope(), base.namespace(), base.name(), base.restApiListen(),
                base.restApiConnectAddress(), null, base.etcdHosts(), base.timing(), base.maximumLagOnFailover(),
                base.postgresListen(), base.postgresConnectAddress(), base.dataDir(), base.binDir(),
                new Credentials("postgres", password.isEmpty() ? "x" : password), base.replication(), base.rewind(),
                params, base.dcsParameters(), base.pgHba(), base.tags());

        JsonNode y = YAML.readTree(renderer.render(tricky));

        JsonNode read = y.at("/postgresql/authentication/superuser/password");
        assertThat(read.isTextual()).as("%s read back as %s", password, read.getNodeType()).isTrue();
        assertThat(read.asText()).isEqualTo(password.isEmpty() ? "x" : password);
    }

    @Test
    void rest_api_credentials_and_tags_are_rendered_when_given() throws Exception {
        AgentConfig b = member1();
        AgentConfig withAuth = new AgentConfig(b.scope(), b.namespace(), b.name(), "0.0.0.0:8008", "10.0.0.5:8008",
                new Credentials("admin", "api-secret"), b.etcdHosts(), b.timing(), b.maximumLagOnFailover(),
                b.postgresListen(), b.postgresConnectAddress(), b.dataDir(), b.binDir(), b.superuser(),
                b.replication(), b.rewind(), b.parameters(), b.dcsParameters(), b.pgHba(),
                Map.of("nofailover", true, "clonefrom", false, "zone", "a"));

        JsonNode y = YAML.readTree(renderer.render(withAuth));

        assertThat(y.at("/restapi/listen").asText()).isEqualTo("0.0.0.0:8008");
        assertThat(y.at("/restapi/connect_address").asText()).isEqualTo("10.0.0.5:8008");
        assertThat(y.at("/restapi/authentication/username").asText()).isEqualTo("admin");
        assertThat(y.at("/restapi/authentication/password").asText()).isEqualTo("api-secret");
        assertThat(y.at("/tags/nofailover").isBoolean()).isTrue();
        assertThat(y.at("/tags/nofailover").asBoolean()).isTrue();
        assertThat(y.at("/tags/zone").asText()).isEqualTo("a");
    }

    @Test
    void credentials_never_show_the_password_in_toString() {
        assertThat(new Credentials("postgres", "su-secret").toString()).doesNotContain("su-secret");
    }
}
