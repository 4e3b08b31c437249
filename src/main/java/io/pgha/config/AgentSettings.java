package io.pgha.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The agent's local configuration as read by {@link AgentSettingsLoader} from one Patroni-format YAML file
 * (see docs/configuration.md). Dynamic settings (ttl, loop_wait…) are not here: they live in the DCS
 * {@code config} key, seeded from {@link #bootstrapDcs()} by the member that bootstraps the cluster.
 */
public record AgentSettings(
        String scope,
        String namespace,
        String name,
        RestApi restapi,
        List<String> etcdHosts,
        ObjectNode bootstrapDcs,
        List<String> initdbOptions,
        Postgres postgresql,
        Tags tags,
        /** Databases, users and extensions the leader creates (pgha.provisioning_file), or null. */
        Provisioning provisioning,
        Watchdog watchdog,
        /** TLS to etcd (etcd3.protocol https, cacert, cert, key), or null for plain HTTP. */
        EtcdTls etcdTls) {

    /**
     * @param caCert the CA that signed etcd's server certificates; null trusts the JVM's default store
     * @param cert   our client certificate (PEM) for etcd's --client-cert-auth, or null
     * @param key    its private key (unencrypted PEM), or null
     */
    public record EtcdTls(Path caCert, Path cert, Path key) {}

    /**
     * Patroni's {@code watchdog} section: whether to keep a Linux watchdog device alive while primary. pgha's
     * external watchdog process runs in every mode; the device is its optional second line.
     *
     * @param mode   off, automatic (use the device if it can be opened) or required (refuse to run without it)
     * @param device the device path
     */
    public record Watchdog(String mode, String device) {
        public static final Watchdog AUTOMATIC = new Watchdog("automatic", "/dev/watchdog");
    }

    /**
     * @param file           YAML with databases [{name, owner}], users [{name, databases, options, passwordSecret}]
     *                       and extensions [names], as the operator renders it (operator/resources/AgentConfigMap)
     * @param userSecretsDir where each user's password is: {@code <dir>/<passwordSecret>/password}
     */
    public record Provisioning(Path file, Path userSecretsDir) {}

    public record Login(String username, String password) {
        @Override
        public String toString() {
            return "Login[username=" + username + ", password=***]";
        }
    }

    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * @param allowlist hosts, IPs or CIDR ranges allowed to call the write endpoints; empty allows all
     * @param tls       HTTPS for the REST API, or null for plain HTTP
     */
    public record RestApi(HostPort listen, HostPort connectAddress, Login authentication, List<String> allowlist, Tls tls) {
        public RestApi(HostPort listen, HostPort connectAddress, Login authentication) {
            this(listen, connectAddress, authentication, List.of(), null);
        }

        public RestApi(HostPort listen, HostPort connectAddress, Login authentication, List<String> allowlist) {
            this(listen, connectAddress, authentication, allowlist, null);
        }
    }

    /**
     * The REST API's TLS (Patroni's restapi.certfile, keyfile, keyfile_password, cafile, verify_client).
     *
     * @param verifyClient none | optional (a client certificate is required for the write endpoints) | required
     */
    public record Tls(Path certFile, Path keyFile, String keyPassword, Path caFile, String verifyClient) {
        @Override
        public String toString() {
            return "Tls[cert=" + certFile + ", key=" + keyFile + ", ca=" + caFile + ", verify_client=" + verifyClient + "]";
        }
    }

    public record Postgres(
            HostPort listen,
            HostPort connectAddress,
            Path dataDir,
            Path binDir,
            String database,
            Login superuser,
            Login replication,
            Login rewind,
            Map<String, String> parameters,
            List<String> pgHba,
            boolean usePgRewind,
            boolean removeDataDirectoryOnRewindFailure,
            boolean removeDataDirectoryOnDivergedTimelines) {}

    /** Member tags; {@code custom} keeps any other tag verbatim so it is published unchanged. */
    public record Tags(boolean nofailover, boolean noloadbalance, boolean clonefrom, boolean nosync,
                       Map<String, Object> custom) {}

    /** Patroni's base path: "/" + namespace + "/" + scope with runs of '/' collapsed. */
    public String basePath() {
        return ("/" + namespace + "/" + scope).replaceAll("/+", "/");
    }

    public String apiUrl() {
        return "http://" + restapi.connectAddress() + "/patroni";
    }

    public String connUrl() {
        return "postgres://" + postgresql.connectAddress() + "/" + postgresql.database();
    }
}
