package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.pgha.contract.PodContract;
import io.pgha.operator.model.ClusterModel;
import io.pgha.operator.model.Settings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Supplier;

/**
 * A login's Secret: username, password, and where to connect, including a ready-made URI. The password is
 * generated when the Secret is first created and never replaced (the dependent only creates it), because
 * PostgreSQL already holds its hash.
 */
public final class CredentialSecret {

    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String DBNAME = "dbname";
    public static final String URI = "uri";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private CredentialSecret() {}

    /** 32 characters from an unambiguous alphanumeric alphabet: ~187 bits, and safe in URIs and shells. */
    public static String newPassword() {
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    public static Secret superuser(ClusterModel m, Supplier<String> password) {
        return build(m, m.names().superuserSecret(), AgentConfigMap.SUPERUSER, "postgres", password.get());
    }

    public static Secret replication(ClusterModel m, Supplier<String> password) {
        return build(m, m.names().replicationSecret(), AgentConfigMap.REPLICATION_USER, "postgres", password.get());
    }

    /** The agents' REST API login: not a database role, so no connection details. */
    public static Secret restApi(ClusterModel m, Supplier<String> password) {
        return new SecretBuilder().withMetadata(Metadata.of(m, m.names().restApiSecret(), Labels.CREDENTIALS))
                .withType("kubernetes.io/basic-auth")
                .addToStringData(USERNAME, REST_API_USER).addToStringData(PASSWORD, password.get()).build();
    }

    public static final String REST_API_USER = "pgha";

    /** A user connects to its first database (postgres when it lists none). */
    public static Secret user(ClusterModel m, Settings.User u, Supplier<String> password) {
        String db = u.databases().isEmpty() ? "postgres" : u.databases().get(0);
        return build(m, m.names().userSecret(u.name()), u.name(), db, password.get());
    }

    private static Secret build(ClusterModel m, String name, String user, String db, String password) {
        Endpoint e = endpoint(m);
        String uri = "postgresql://" + enc(user) + ":" + enc(password) + "@" + e.host() + ":" + e.port() + "/" + enc(db);
        return new SecretBuilder().withMetadata(Metadata.of(m, name, Labels.CREDENTIALS))
                .withType("kubernetes.io/basic-auth")
                .addToStringData(USERNAME, user).addToStringData(PASSWORD, password)
                .addToStringData(HOST, e.host()).addToStringData(PORT, String.valueOf(e.port()))
                .addToStringData(DBNAME, db).addToStringData(URI, uri).build();
    }

    /** Where clients write: HAProxy's read-write port when it runs, else the -primary Service (via PgBouncer if enabled). */
    static Endpoint endpoint(ClusterModel m) {
        String suffix = "." + m.namespace() + ".svc";
        if (m.loadBalancer().enabled()) {
            return new Endpoint(m.names().haproxy() + suffix, m.loadBalancer().readWritePort());
        }
        int port = m.pooler().enabled() ? PodContract.PGBOUNCER_PORT : PodContract.POSTGRES_PORT;
        return new Endpoint(m.names().primaryService() + suffix, port);
    }

    record Endpoint(String host, int port) {}

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
