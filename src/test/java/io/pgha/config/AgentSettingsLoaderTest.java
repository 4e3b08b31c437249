package io.pgha.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSettingsLoaderTest {
    private static final String PATRONI_YML = """
            scope: demo
            namespace: /service/
            name: node1
            restapi:
              listen: 0.0.0.0:8008
              connect_address: 10.0.0.1:8008
              authentication: {username: admin, password: rest-secret}
            etcd3:
              hosts: 10.0.0.1:2379,10.0.0.2:2379
            bootstrap:
              dcs:
                ttl: 30
                loop_wait: 10
                retry_timeout: 10
                maximum_lag_on_failover: 1048576
                postgresql:
                  use_pg_rewind: true
                  parameters:
                    wal_log_hints: on
              initdb:
              - encoding: UTF8
              - data-checksums
            postgresql:
              listen: 0.0.0.0:5432
              connect_address: 10.0.0.1:5432
              data_dir: /var/lib/postgresql/15/main
              bin_dir: /usr/lib/postgresql/15/bin
              authentication:
                superuser: {username: postgres, password: su-secret}
                replication: {username: replicator, password: repl-secret}
                rewind: {username: rewind_user, password: rewind-secret}
              parameters:
                max_connections: 200
              pg_hba:
              - host replication replicator 10.0.0.0/8 scram-sha-256
            tags:
              nofailover: false
              clonefrom: true
              zone: a
            """;

    private static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    @Test
    void anUnchangedPatroniFileIsUnderstood() throws Exception {
        AgentSettings s = new AgentSettingsLoader(Map.of()).parse(yaml(PATRONI_YML));
        assertThat(s.basePath()).isEqualTo("/service/demo");
        assertThat(s.apiUrl()).isEqualTo("http://10.0.0.1:8008/patroni");
        assertThat(s.connUrl()).isEqualTo("postgres://10.0.0.1:5432/postgres");
        assertThat(s.etcdHosts()).containsExactly("10.0.0.1:2379", "10.0.0.2:2379");
        assertThat(s.bootstrapDcs().get("ttl").asInt()).isEqualTo(30);
        assertThat(s.initdbOptions()).containsExactly("--encoding=UTF8", "--data-checksums");
        assertThat(s.postgresql().parameters()).containsEntry("max_connections", "200");
        assertThat(s.postgresql().rewind().username()).isEqualTo("rewind_user");
        assertThat(s.tags().clonefrom()).isTrue();
        assertThat(s.tags().nofailover()).isFalse();
        assertThat(s.tags().custom()).containsEntry("zone", "a");
    }

    @Test
    void environmentOverridesTheFileAndPasswordsMayComeFromFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("superuser-password"), "from-file\n");
        String text = PATRONI_YML + "pgha:\n  credentials_dir: " + dir + "\n";
        AgentSettings s = new AgentSettingsLoader(Map.of("PATRONI_NAME", "node9", "PATRONI_REPLICATION_PASSWORD", "from-env"))
                .parse(yaml(text));
        assertThat(s.name()).isEqualTo("node9");
        assertThat(s.postgresql().superuser().password()).isEqualTo("from-file");
        assertThat(s.postgresql().replication().password()).isEqualTo("from-env");
    }

    @Test
    void aPatroniKeyPghaDoesNotSupportIsRejectedByName() throws Exception {
        assertThatThrownBy(() -> new AgentSettingsLoader(Map.of()).parse(yaml(PATRONI_YML + "standby_cluster:\n  host: x\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("standby_cluster")
                .hasMessageContaining("does not support yet");
    }

    @Test
    void watchdogSectionIsPatronisOwn() throws Exception {
        AgentSettings s = new AgentSettingsLoader(Map.of()).parse(yaml(PATRONI_YML + "watchdog:\n  mode: required\n  device: /dev/wd1\n  safety_margin: 5\n"));
        assertThat(s.watchdog()).isEqualTo(new AgentSettings.Watchdog("required", "/dev/wd1"));
        assertThat(new AgentSettingsLoader(Map.of()).parse(yaml(PATRONI_YML)).watchdog()).isEqualTo(AgentSettings.Watchdog.AUTOMATIC);
        assertThat(new AgentSettingsLoader(Map.of()).parse(yaml(PATRONI_YML + "watchdog:\n  mode: false\n")).watchdog().mode())
                .isEqualTo("off");
        assertThatThrownBy(() -> new AgentSettingsLoader(Map.of()).parse(yaml(PATRONI_YML + "watchdog:\n  mode: always\n")))
                .hasMessageContaining("watchdog.mode: expected off, automatic or required");
    }

    @Test
    void aTypoIsRejectedAsUnknown() throws Exception {
        String text = PATRONI_YML.replace("  data_dir:", "  data_dri:");
        assertThatThrownBy(() -> new AgentSettingsLoader(Map.of()).parse(yaml(text)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown configuration key postgresql.data_dri");
    }

    @Test
    void aMissingPasswordIsNamed() throws Exception {
        String text = PATRONI_YML.replace("password: repl-secret", "password: ''");
        assertThatThrownBy(() -> new AgentSettingsLoader(Map.of()).parse(yaml(text)))
                .hasMessageContaining("postgresql.authentication.replication.password");
    }

    @Test
    void passwordsNeverAppearInToString() throws Exception {
        AgentSettings s = new AgentSettingsLoader(Map.of()).parse(yaml(PATRONI_YML));
        assertThat(s.toString()).doesNotContain("su-secret").doesNotContain("repl-secret");
    }

    @Test
    void aDynamicFeaturePghaLacksIsRejectedWhenOnAndAcceptedWhenOff() throws Exception {
        String on = PATRONI_YML.replace("    ttl: 30\n", "    ttl: 30\n    primary_start_timeout: 300\n");
        assertThatThrownBy(() -> new AgentSettingsLoader(Map.of()).parse(yaml(on)))
                .hasMessageContaining("bootstrap.dcs.primary_start_timeout").hasMessageContaining("does not support yet");
        String off = PATRONI_YML.replace("    ttl: 30\n", "    ttl: 30\n    primary_start_timeout: null\n");
        assertThat(new AgentSettingsLoader(Map.of()).parse(yaml(off)).bootstrapDcs().get("primary_start_timeout").isNull()).isTrue();
        String sync = PATRONI_YML.replace("    ttl: 30\n", "    ttl: 30\n    synchronous_mode: true\n    synchronous_mode_strict: true\n"
                + "    synchronous_node_count: 2\n    failsafe_mode: true\n    maximum_lag_on_syncnode: 1000\n");
        assertThat(new AgentSettingsLoader(Map.of()).parse(yaml(sync)).bootstrapDcs().get("synchronous_mode").asBoolean()).isTrue();
    }

    @Test
    void aTypoInsideBootstrapDcsIsRejected() throws Exception {
        String text = PATRONI_YML.replace("    loop_wait: 10", "    loopwait: 10");
        assertThatThrownBy(() -> new AgentSettingsLoader(Map.of()).parse(yaml(text)))
                .hasMessageContaining("unknown configuration key bootstrap.dcs.loopwait");
    }

    @Test
    void keysWithoutEffectAreNamedInNotices() throws Exception {
        AgentSettingsLoader loader = new AgentSettingsLoader(Map.of());
        loader.parse(yaml(PATRONI_YML + "log:\n  level: INFO\n"));
        assertThat(loader.notices()).anyMatch(n -> n.startsWith("log:"));
    }

    @Test
    void tlsToEtcdTakesPatronisKeys(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        for (String f : new String[] {"ca.crt", "tls.crt", "tls.key"}) {
            java.nio.file.Files.writeString(dir.resolve(f), "pem");
        }
        String tls = PATRONI_YML.replace("hosts: 10.0.0.1:2379,10.0.0.2:2379", "hosts: 10.0.0.1:2379\n  protocol: https\n  cacert: "
                + dir.resolve("ca.crt") + "\n  cert: " + dir.resolve("tls.crt") + "\n  key: " + dir.resolve("tls.key"));
        AgentSettings s = new AgentSettingsLoader(Map.of()).parse(yaml(tls));
        assertThat(s.etcdTls()).isEqualTo(new AgentSettings.EtcdTls(dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key")));
        assertThat(s.etcdHosts()).containsExactly("10.0.0.1:2379");

        String httpsHosts = PATRONI_YML.replace("hosts: 10.0.0.1:2379,10.0.0.2:2379", "hosts: https://10.0.0.1:2379");
        assertThat(new AgentSettingsLoader(Map.of()).parse(yaml(httpsHosts)).etcdTls()).isEqualTo(new AgentSettings.EtcdTls(null, null, null));
        assertThat(new AgentSettingsLoader(Map.of()).parse(yaml(PATRONI_YML)).etcdTls()).isNull();

        String certWithoutKey = tls.replace("\n  key: " + dir.resolve("tls.key"), "");
        assertThatThrownBy(() -> new AgentSettingsLoader(Map.of()).parse(yaml(certWithoutKey))).hasMessageContaining("go together");
        String caOverHttp = tls.replace("protocol: https", "protocol: http");
        assertThatThrownBy(() -> new AgentSettingsLoader(Map.of()).parse(yaml(caOverHttp))).hasMessageContaining("need protocol: https");
        String missing = tls.replace(dir.resolve("ca.crt").toString(), dir.resolve("nope.crt").toString());
        assertThatThrownBy(() -> new AgentSettingsLoader(Map.of()).parse(yaml(missing))).hasMessageContaining("etcd3.cacert: cannot read");
    }

    @Test
    void restApiCredentialsMayComeFromTheEnvironmentAlone() throws Exception {
        AgentSettings s = new AgentSettingsLoader(Map.of("PATRONI_RESTAPI_USERNAME", "admin", "PATRONI_RESTAPI_PASSWORD", "pw"))
                .parse(yaml(PATRONI_YML.replace("  authentication: {username: admin, password: rest-secret}\n", "")));
        assertThat(s.restapi().authentication().username()).isEqualTo("admin");
        assertThat(s.restapi().authentication().password()).isEqualTo("pw");
    }

    private static String refusal(String text) {
        try {
            new AgentSettingsLoader(Map.of()).parse(yaml(text));
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + text);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> badValues() {
        return java.util.stream.Stream.of(
                bad("    ttl: 30\n", "    ttl: abc\n", "bootstrap.dcs.ttl: expected an integer, got \"abc\""),
                bad("    loop_wait: 10\n", "    loop_wait: -7\n", "bootstrap.dcs.loop_wait: must be between 1 and 3600, got -7"),
                bad("    ttl: 30\n", "    ttl: 12\n", "bootstrap.dcs.ttl/loop_wait/retry_timeout: timing must satisfy loop_wait + 2 x retry_timeout <= ttl"),
                bad("    ttl: 30\n", "    ttl: 30\n    synchronous_mode: maybe\n", "bootstrap.dcs.synchronous_mode: expected a boolean"),
                bad("      use_pg_rewind: true\n", "      use_pg_rewind: [true]\n", "bootstrap.dcs.postgresql.use_pg_rewind: expected a boolean"),
                bad("        wal_log_hints: on\n", "        \"wal_log_hints\\nx\": on\n",
                        "bootstrap.dcs.postgresql.parameters.\"wal_log_hints\\nx\": not a valid parameter name"),
                bad("    max_connections: 200\n", "    max_connections: [200]\n",
                        "postgresql.parameters.max_connections: expected a string, number or boolean"),
                bad("    max_connections: 200\n", "    \"a=b\": 1\n", "postgresql.parameters.\"a=b\": not a valid parameter name"),
                bad("  clonefrom: true\n", "  clonefrom: sometimes\n", "tags.clonefrom: expected a boolean"),
                bad("scope: demo\n", "scope: [demo]\n", "scope: expected a single value, got [\"demo\"]"),
                bad("  authentication: {username: admin, password: rest-secret}\n", "", "restapi.authentication is required"));
    }

    private static org.junit.jupiter.params.provider.Arguments bad(String from, String to, String expected) {
        return org.junit.jupiter.params.provider.Arguments.of(from, to, expected);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("badValues")
    void a_bad_value_is_one_line_naming_the_key(String from, String to, String expected) {
        String text = PATRONI_YML.replace(from, to);
        assertThat(text).isNotEqualTo(PATRONI_YML);
        assertThat(refusal(text)).contains(expected);
    }

    @Test
    void authentication_none_is_accepted_only_when_written_out() throws Exception {
        String none = PATRONI_YML.replace("authentication: {username: admin, password: rest-secret}", "authentication: none");
        assertThat(new AgentSettingsLoader(Map.of()).parse(yaml(none)).restapi().authentication()).isNull();
    }

    @Test
    void a_duplicate_key_is_refused_with_its_line(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.yml");
        Files.writeString(f, PATRONI_YML.replace("    ttl: 30\n", "    ttl: 30\n    ttl: 5\n"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AgentSettingsLoader(Map.of()).load(f))
                .isInstanceOf(ConfigException.class).hasMessageContaining("duplicate key 'ttl'").hasMessageContaining("line 13");
    }

    @Test
    void missing_or_unusable_directories_are_named(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentDirectories.checkBinDir(dir.resolve("nope")))
                .hasMessage("postgresql.bin_dir: " + dir.resolve("nope") + " is not a directory");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentDirectories.checkBinDir(bin))
                .hasMessage("postgresql.bin_dir: " + bin + " has no executable pg_ctl");
        Path file = Files.writeString(dir.resolve("file"), "x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentDirectories.checkDataDir(file))
                .hasMessage("postgresql.data_dir: " + file + " is not a directory");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentDirectories.checkDataDir(file.resolve("sub/pgdata")))
                .hasMessageContaining("does not exist and cannot be created here");
        AgentDirectories.checkDataDir(dir.resolve("new/pgdata")); // created by initdb later: fine
    }
}
