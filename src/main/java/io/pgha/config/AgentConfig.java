package io.pgha.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to render one member's agent configuration in Patroni's YAML format
 * (see {@link AgentYamlRenderer}). Addresses are {@code host:port}.
 *
 * @param namespace          Patroni's namespace, e.g. {@code /service/}
 * @param restApiAuth        Basic-auth credentials for the REST API's write endpoints, or null for none
 * @param etcdHosts          etcd v3 client endpoints, {@code host:port} each
 * @param parameters         PostgreSQL parameters local to this member (postgresql.parameters)
 * @param dcsParameters      PostgreSQL parameters seeded into the cluster-wide dynamic configuration
 * @param pgHba              pg_hba.conf lines, in order
 * @param tags               Patroni tags (values: String, Boolean or Number)
 * @param dcsReplication     synchronous and failsafe settings seeded into bootstrap.dcs
 * @param etcdTls            TLS to etcd (paths as the agent will see them), or null for plain HTTP
 */
public record AgentConfig(
        String scope,
        String namespace,
        String name,
        String restApiListen,
        String restApiConnectAddress,
        Credentials restApiAuth,
        List<String> etcdHosts,
        DcsTiming timing,
        long maximumLagOnFailover,
        String postgresListen,
        String postgresConnectAddress,
        String dataDir,
        String binDir,
        Credentials superuser,
        Credentials replication,
        Credentials rewind,
        Map<String, Object> parameters,
        Map<String, Object> dcsParameters,
        List<String> pgHba,
        Map<String, Object> tags,
        DcsReplication dcsReplication,
        AgentSettings.EtcdTls etcdTls) {

    /** Patroni's default for maximum_lag_on_failover: 1 MiB. */
    public static final long DEFAULT_MAXIMUM_LAG_ON_FAILOVER = 1_048_576L;

    /** An asynchronous cluster without failsafe mode. */
    public AgentConfig(String scope, String namespace, String name, String restApiListen, String restApiConnectAddress,
                       Credentials restApiAuth, List<String> etcdHosts, DcsTiming timing, long maximumLagOnFailover,
                       String postgresListen, String postgresConnectAddress, String dataDir, String binDir,
                       Credentials superuser, Credentials replication, Credentials rewind, Map<String, Object> parameters,
                       Map<String, Object> dcsParameters, List<String> pgHba, Map<String, Object> tags) {
        this(scope, namespace, name, restApiListen, restApiConnectAddress, restApiAuth, etcdHosts, timing, maximumLagOnFailover,
                postgresListen, postgresConnectAddress, dataDir, binDir, superuser, replication, rewind, parameters,
                dcsParameters, pgHba, tags, DcsReplication.ASYNC, null);
    }

    /** Plain HTTP to etcd. */
    public AgentConfig(String scope, String namespace, String name, String restApiListen, String restApiConnectAddress,
                       Credentials restApiAuth, List<String> etcdHosts, DcsTiming timing, long maximumLagOnFailover,
                       String postgresListen, String postgresConnectAddress, String dataDir, String binDir,
                       Credentials superuser, Credentials replication, Credentials rewind, Map<String, Object> parameters,
                       Map<String, Object> dcsParameters, List<String> pgHba, Map<String, Object> tags,
                       DcsReplication dcsReplication) {
        this(scope, namespace, name, restApiListen, restApiConnectAddress, restApiAuth, etcdHosts, timing, maximumLagOnFailover,
                postgresListen, postgresConnectAddress, dataDir, binDir, superuser, replication, rewind, parameters,
                dcsParameters, pgHba, tags, dcsReplication, null);
    }

    public AgentConfig {
        Objects.requireNonNull(dcsReplication, "dcsReplication");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (name.contains("/")) {
            throw new IllegalArgumentException("member name must not contain '/': " + name);
        }
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(superuser, "superuser");
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(rewind, "rewind");
        if (etcdHosts == null || etcdHosts.isEmpty()) {
            throw new IllegalArgumentException("at least one etcd host is needed");
        }
        etcdHosts = List.copyOf(etcdHosts);
        parameters = Map.copyOf(parameters);
        dcsParameters = Map.copyOf(dcsParameters);
        pgHba = List.copyOf(pgHba);
        tags = Map.copyOf(tags);
    }
}
