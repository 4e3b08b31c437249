package io.pgha.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.pgha.config.AgentSettings;
import io.pgha.config.AgentSettingsLoader;
import io.pgha.contract.PodContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigMapTest {

    /** The agent reads the rendered file with what the kubelet sets in the member pod shop-1. */
    private static AgentSettings loadInPodShop1(Path file) {
        return new AgentSettingsLoader(Map.of(
                PodContract.ENV_NAME, "shop-1",
                PodContract.ENV_REST_CONNECT, "shop-1.shop-members.prod.svc:8008",
                PodContract.ENV_POSTGRES_CONNECT, "shop-1.shop-members.prod.svc:5432",
                PodContract.ENV_SUPERUSER_PASSWORD, "su-secret",
                PodContract.ENV_REPLICATION_PASSWORD, "repl-secret",
                PodContract.ENV_REWIND_USERNAME, "postgres",
                PodContract.ENV_REWIND_PASSWORD, "su-secret",
                PodContract.ENV_RESTAPI_USERNAME, "patroni",
                PodContract.ENV_RESTAPI_PASSWORD, "rest-secret")).load(file);
    }

    @Test
    void theAgentAcceptsTheRenderedFileWithThePodEnvironment(@TempDir Path dir) throws Exception {
        ConfigMap cm = AgentConfigMap.build(Fixtures.model("""
                spec:
                  ha: {ttl: 30, loopWait: 10, retryTimeout: 10}
                  replication: {maximumLagOnFailover: 2048}
                  postgres: {version: 15, parameters: {max_connections: "200"}, pgHba: ["host all all 10.0.0.0/8 md5"]}
                """));
        Fixtures.assertOwnedAndLabelled(cm);
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, cm.getData().get(AgentConfigMap.AGENT_YAML));

        AgentSettings s = loadInPodShop1(file);

        assertThat(s.name()).isEqualTo("shop-1");
        assertThat(s.scope()).isEqualTo("shop");
        assertThat(s.restapi().connectAddress().toString()).contains("shop-1.shop-members.prod.svc");
        assertThat(s.postgresql().connectAddress().toString()).contains("shop-1.shop-members.prod.svc");
        assertThat(s.postgresql().superuser().password()).isEqualTo("su-secret");
        assertThat(s.postgresql().replication().password()).isEqualTo("repl-secret");
        assertThat(s.postgresql().dataDir().toString()).isEqualTo("/var/lib/postgresql/data/pgdata");
        assertThat(s.provisioning().file().toString()).isEqualTo("/etc/pgha/provisioning.yaml");
        assertThat(s.provisioning().userSecretsDir().toString()).isEqualTo("/etc/pgha-users");
        String yaml = cm.getData().get(AgentConfigMap.AGENT_YAML);
        assertThat(yaml).contains("scope: shop", "ttl: 30", "loop_wait: 10", "maximum_lag_on_failover: 2048",
                "/usr/lib/postgresql/15/bin", "shop-etcd-0.shop-etcd-peers.prod.svc:2379", "max_connections: \"200\"")
                .doesNotContain("su-secret");
        assertThat(yaml.indexOf("10.0.0.0/8")).as("user's pg_hba lines come first")
                .isLessThan(yaml.indexOf("host all all all scram-sha-256"));
    }

    @Test
    void strictSyncReplicationIsSeededIntoBootstrapDcsAndTheAgentAcceptsIt(@TempDir Path dir) throws Exception {
        ConfigMap cm = AgentConfigMap.build(Fixtures.model("""
                spec:
                  instances: 3
                  replication: {mode: strict-sync, syncStandbys: 2}
                """));
        String yaml = cm.getData().get(AgentConfigMap.AGENT_YAML);
        assertThat(yaml).contains("synchronous_mode: true", "synchronous_mode_strict: true", "synchronous_node_count: 2");
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, yaml);
        AgentSettings s = loadInPodShop1(file);
        assertThat(s.bootstrapDcs().get("synchronous_node_count").asInt()).isEqualTo(2);
        assertThat(AgentConfigMap.build(Fixtures.model("spec: {instances: 3}\n")).getData().get(AgentConfigMap.AGENT_YAML))
                .doesNotContain("synchronous_mode");
    }

    @Test
    void externalEtcdWithATlsSecretIsReachedOverHttpsWithTheMountedFiles() {
        var m = Fixtures.model("""
                spec:
                  etcd: {external: {endpoints: ["etcd.infra:2379"], tlsSecret: etcd-client}}
                """);
        String yaml = AgentConfigMap.build(m).getData().get(AgentConfigMap.AGENT_YAML);
        assertThat(yaml).contains("protocol: https", "cacert: /etc/pgha-etcd-tls/ca.crt", "cert: /etc/pgha-etcd-tls/tls.crt",
                "key: /etc/pgha-etcd-tls/tls.key", "etcd.infra:2379");
        var pod = MemberStatefulSet.podSpec(m);
        assertThat(pod.getVolumes()).anyMatch(v -> v.getSecret() != null && "etcd-client".equals(v.getSecret().getSecretName()));
        assertThat(pod.getContainers().get(0).getVolumeMounts()).anyMatch(v -> v.getMountPath().equals(AgentConfigMap.ETCD_TLS_DIR));
        assertThat(AgentConfigMap.build(Fixtures.model("spec: {etcd: {external: {endpoints: [\"e:2379\"]}}}\n"))
                .getData().get(AgentConfigMap.AGENT_YAML)).doesNotContain("protocol: https");
    }

    @Test
    void provisioningListsDatabasesUsersAndExtensions() {
        ConfigMap cm = AgentConfigMap.build(Fixtures.model("""
                spec:
                  databases: [{name: shop, owner: app}, {name: shared}]
                  users: [{name: app, databases: [shop, shared], options: [CREATEDB]}]
                  extensions: [pg_trgm]
                """));
        assertThat(cm.getData().get(AgentConfigMap.PROVISIONING_YAML)).isEqualTo("""
                databases:
                - name: shop
                  owner: app
                - name: shared
                  owner: postgres
                users:
                - name: app
                  databases: [shop, shared]
                  options: [CREATEDB]
                  passwordSecret: shop-user-app
                extensions: [pg_trgm]
                """);
    }

    @Test
    void theDigestChangesWithTheConfigurationOnly() {
        String a = ConfigDigest.of(AgentConfigMap.build(Fixtures.defaults()));
        assertThat(ConfigDigest.of(AgentConfigMap.build(Fixtures.defaults()))).isEqualTo(a);
        assertThat(ConfigDigest.of(AgentConfigMap.build(Fixtures.model("spec: {postgres: {parameters: {work_mem: 8MB}}}\n"))))
                .isNotEqualTo(a);
        assertThat(ConfigDigest.of(AgentConfigMap.build(Fixtures.model("spec: {ha: {ttl: 30}, replication: {mode: sync}}\n"))))
                .as("dynamic settings (bootstrap.dcs) reach a running cluster by PATCH /config, not by restarts").isEqualTo(a);
        assertThat(ConfigDigest.of(AgentConfigMap.build(Fixtures.model("spec: {databases: [{name: more}]}\n"))))
                .as("provisioning is picked up live, without restarting members").isEqualTo(a);
    }
}
