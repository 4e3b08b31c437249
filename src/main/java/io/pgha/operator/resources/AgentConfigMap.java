package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.pgha.config.AgentConfig;
import io.pgha.config.AgentYamlRenderer;
import io.pgha.config.Credentials;
import io.pgha.contract.PodContract;
import io.pgha.operator.model.ClusterModel;
import io.pgha.operator.model.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents' configuration, rendered by the same {@link AgentYamlRenderer} as {@code pgha local}. One file
 * serves every member: what differs per pod (member name, connect addresses) and the passwords come from the
 * pod's environment (PATRONI_* variables, which override the file), so no password sits in a ConfigMap.
 */
public final class AgentConfigMap {

    public static final String AGENT_YAML = "agent.yaml";
    /** Databases, users and extensions for the leader's agent to create (see docs/operator.md). */
    public static final String PROVISIONING_YAML = "provisioning.yaml";
    public static final String SUPERUSER = "postgres";
    public static final String REPLICATION_USER = "replicator";
    public static final String DATA_MOUNT = "/var/lib/postgresql/data";
    /** A subdirectory: the volume's root may hold lost+found, which initdb refuses. */
    public static final String DATA_DIR = DATA_MOUNT + "/pgdata";
    public static final String SOCKET_DIR = "/var/run/postgresql";
    /** Where the agent finds provisioning.yaml: the same ConfigMap, mounted at the agent's config directory. */
    public static final String PROVISIONING_FILE = "/etc/pgha/" + PROVISIONING_YAML;
    /** Each user's Secret is projected to {dir}/{secret name}/password, as the agent's provisioner reads it. */
    public static final String USER_SECRETS_DIR = "/etc/pgha-users";
    /** Stands in for values that the pod's environment always overrides. */
    static final String FROM_ENVIRONMENT = "from-environment";

    private AgentConfigMap() {}

    public static ConfigMap build(ClusterModel m) {
        String header = "# One file for every member of " + m.name() + ": the member name, connect addresses and\n"
                + "# passwords are placeholders, overridden by the pod's PATRONI_* environment.\n";
        return new ConfigMapBuilder().withMetadata(Metadata.of(m, m.names().agentConfig(), Labels.CONFIG))
                .addToData(AGENT_YAML, header + new AgentYamlRenderer().render(agentConfig(m)) + pghaSection())
                .addToData(PROVISIONING_YAML, provisioning(m))
                .build();
    }

    /**
     * pgha's own keys (outside Patroni's format, which AgentConfig models): the leader's agent creates the
     * databases, users and extensions of provisioning.yaml, with the users' passwords from their Secrets.
     */
    static String pghaSection() {
        return "\npgha:\n  provisioning_file: " + PROVISIONING_FILE + "\n  user_secrets_dir: " + USER_SECRETS_DIR + "\n";
    }

    static AgentConfig agentConfig(ClusterModel m) {
        Credentials superuser = new Credentials(SUPERUSER, FROM_ENVIRONMENT);
        Map<String, Object> parameters = new LinkedHashMap<>(m.postgres().parameters());
        parameters.put("unix_socket_directories", SOCKET_DIR);
        return new AgentConfig(m.name(), "/service/", FROM_ENVIRONMENT,
                "0.0.0.0:" + PodContract.REST_PORT, FROM_ENVIRONMENT + ":" + PodContract.REST_PORT, null,
                m.etcdEndpoints(), m.timing(), m.replication().maximumLagOnFailover(),
                "0.0.0.0:" + PodContract.POSTGRES_PORT, FROM_ENVIRONMENT + ":" + PodContract.POSTGRES_PORT,
                DATA_DIR, "/usr/lib/postgresql/" + m.postgres().version() + "/bin",
                superuser, new Credentials(REPLICATION_USER, FROM_ENVIRONMENT), superuser,
                parameters, Map.of("wal_log_hints", "on"), pgHba(m), Map.of(), replication(m), etcdTls(m));
    }

    /**
     * The dynamic settings the spec decides (timing, lag limit, synchronous replication), as they must stand in
     * the cluster's {@code config} key. bootstrap.dcs seeds them once; later spec changes reach a running cluster
     * through the leader's PATCH /config (ClusterSteps.applyDynamicConfig), not through a rolling restart.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode dynamicConfig(ClusterModel m) {
        io.pgha.config.DcsReplication r = replication(m);
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("ttl", m.timing().ttl()).put("loop_wait", m.timing().loopWait())
                .put("retry_timeout", m.timing().retryTimeout())
                .put("maximum_lag_on_failover", m.replication().maximumLagOnFailover())
                .put("synchronous_mode", r.synchronousMode()).put("synchronous_mode_strict", r.strict())
                .put("synchronous_node_count", r.nodeCount());
    }

    /** Where the external etcd's TLS Secret (ca.crt, tls.crt, tls.key) is mounted in the agent container. */
    public static final String ETCD_TLS_DIR = "/etc/pgha-etcd-tls";

    /** The Secret with TLS material for an external etcd, or null (managed etcd, or external over plain HTTP). */
    static String etcdTlsSecret(ClusterModel m) {
        return m.etcd().managed() ? null : m.etcd().tlsSecret();
    }

    static io.pgha.config.AgentSettings.EtcdTls etcdTls(ClusterModel m) {
        if (etcdTlsSecret(m) == null) {
            return null;
        }
        java.nio.file.Path dir = java.nio.file.Path.of(ETCD_TLS_DIR);
        return new io.pgha.config.AgentSettings.EtcdTls(dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
    }

    /** spec.replication.mode onto Patroni's synchronous settings; syncStandbys is synchronous_node_count. */
    static io.pgha.config.DcsReplication replication(ClusterModel m) {
        return switch (m.replication().mode()) {
            case ASYNC -> io.pgha.config.DcsReplication.ASYNC;
            case SYNC -> new io.pgha.config.DcsReplication(true, false, Math.max(1, m.replication().syncStandbys()), false);
            case STRICT_SYNC -> new io.pgha.config.DcsReplication(true, true, Math.max(1, m.replication().syncStandbys()), false);
        };
    }

    /**
     * The user's lines first (pg_hba.conf stops at the first match), then pgha's: trust over the local socket
     * (only processes in the pod reach it), SCRAM over TCP, replication only for the replication user.
     */
    static List<String> pgHba(ClusterModel m) {
        List<String> hba = new ArrayList<>(m.postgres().pgHba());
        hba.add("local all all trust");
        hba.add("host replication " + REPLICATION_USER + " all scram-sha-256");
        hba.add("host all all all scram-sha-256");
        return hba;
    }

    /** Plain YAML the lead's provisioning step reads; stable ordering, so an unchanged spec renders the same text. */
    static String provisioning(ClusterModel m) {
        StringBuilder y = new StringBuilder("databases:\n");
        for (Settings.Database d : m.databases()) {
            y.append("- name: ").append(d.name()).append('\n')
                    .append("  owner: ").append(d.owner() == null ? SUPERUSER : d.owner()).append('\n');
        }
        y.append("users:\n");
        for (Settings.User u : m.users()) {
            y.append("- name: ").append(u.name()).append('\n')
                    .append("  databases: [").append(String.join(", ", u.databases())).append("]\n")
                    .append("  options: [").append(String.join(", ", u.options())).append("]\n")
                    .append("  passwordSecret: ").append(m.names().userSecret(u.name())).append('\n');
        }
        y.append("extensions: [").append(String.join(", ", m.extensions())).append("]\n");
        return y.toString();
    }
}
