package io.pgha.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgha.contract.PatroniBool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Patroni-format YAML file into {@link AgentSettings}. Every key is either understood, or rejected
 * with a message that says whether Patroni knows it (not supported by pgha yet) or nobody does (typo).
 * Environment variables (Patroni's PATRONI_* names) override the file, and passwords may come from files
 * in {@code pgha.credentials_dir} so that secrets need not sit in the YAML.
 */
public final class AgentSettingsLoader {

    /** Duplicate keys are refused: YAML would silently keep the last one, which hides a mistake. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    private final Map<String, String> env;
    private final List<String> notices = new ArrayList<>();

    /** @param env the process environment (passed in: only cli/ reads System.getenv) */
    public AgentSettingsLoader(Map<String, String> env) {
        this.env = env;
    }

    /** Keys that were accepted but have no effect in pgha, each with the reason; the agent logs them at start. */
    public List<String> notices() {
        return List.copyOf(notices);
    }

    public AgentSettings load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw new ConfigException(file + (at == null ? "" : ", line " + at.getLineNr()) + ": "
                    + e.getOriginalMessage().replace("Duplicate field", "duplicate key").replaceAll("\\s+", " "));
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + " is not a YAML mapping");
        }
        return parse((ObjectNode) root);
    }

    public AgentSettings parse(ObjectNode root) {
        checkKeys("", root, PatroniKeys.TOP, PatroniKeys.TOP_UNSUPPORTED);
        if (root.has("log")) {
            notices.add("log: ignored; the agent writes one line per event to stderr, redirect it as needed");
        }
        if (root.has("ctl")) {
            notices.add("ctl: read by patronictl and pgha ctl, not by the agent");
        }
        JsonNode pgha = obj(root, "pgha");
        checkKeys("pgha.", pgha, PatroniKeys.PGHA, Set.of());
        Path credentialsDir = pgha.hasNonNull("credentials_dir") ? Path.of(pgha.get("credentials_dir").asText()) : null;

        String scope = envOr("PATRONI_SCOPE", text(root, "scope"));
        String name = envOr("PATRONI_NAME", text(root, "name"));
        String namespace = envOr("PATRONI_NAMESPACE", root.hasNonNull("namespace") ? root.get("namespace").asText() : "/service/");
        require(scope, "scope");
        require(name, "name");
        if (name.contains("/")) {
            throw new ConfigException("name must not contain '/': " + name);
        }

        AgentSettings.RestApi restapi = restApi(obj(root, "restapi"), credentialsDir);
        EtcdSection etcd = new EtcdSection(env);
        List<String> etcdHosts = etcd.hosts(obj(root, "etcd3"));
        AgentSettings.EtcdTls etcdTls = etcd.tls(obj(root, "etcd3"));

        JsonNode bootstrap = obj(root, "bootstrap");
        checkKeys("bootstrap.", bootstrap, PatroniKeys.BOOTSTRAP, PatroniKeys.BOOTSTRAP_UNSUPPORTED);
        ObjectNode dcs = bootstrap.has("dcs") && bootstrap.get("dcs").isObject()
                ? ((ObjectNode) bootstrap.get("dcs")).deepCopy() : JsonNodeFactory.instance.objectNode();
        checkDcs(dcs);
        List<String> initdb = initdbOptions(bootstrap.get("initdb"));

        AgentSettings.Postgres pg = postgres(obj(root, "postgresql"), credentialsDir);
        AgentSettings.Tags tags = tags(obj(root, "tags"));
        AgentSettings.Provisioning provisioning = null;
        if (pgha.hasNonNull("provisioning_file")) {
            provisioning = new AgentSettings.Provisioning(Path.of(pgha.get("provisioning_file").asText()),
                    pgha.hasNonNull("user_secrets_dir") ? Path.of(pgha.get("user_secrets_dir").asText()) : null);
        } else if (pgha.hasNonNull("user_secrets_dir")) {
            throw new ConfigException("pgha.user_secrets_dir: only used with pgha.provisioning_file");
        }
        return new AgentSettings(scope, namespace, name, restapi, etcdHosts, dcs, initdb, pg, tags, provisioning,
                watchdog(obj(root, "watchdog")), etcdTls);
    }

    private static AgentSettings.Watchdog watchdog(JsonNode n) {
        checkKeys("watchdog.", n, Set.of("mode", "device", "safety_margin"), Set.of("driver"));
        String mode = "automatic";
        if (n.has("mode") && !n.get("mode").isNull()) {
            JsonNode m = n.get("mode");
            mode = m.isBoolean() ? (m.asBoolean() ? "automatic" : "off") : m.asText().trim().toLowerCase();
        }
        if (!Set.of("off", "automatic", "required").contains(mode)) {
            throw new ConfigException("watchdog.mode: expected off, automatic or required, got '" + n.get("mode").asText() + "'");
        }
        String device = n.hasNonNull("device") ? n.get("device").asText() : AgentSettings.Watchdog.AUTOMATIC.device();
        return new AgentSettings.Watchdog(mode, device);
    }

    /** bootstrap.dcs: unknown keys are errors; known-but-unimplemented features are errors unless switched off. */
    private static void checkDcs(ObjectNode dcs) {
        List<String> on = new ArrayList<>();
        dcs.fields().forEachRemaining(e -> {
            if (PatroniKeys.DCS_UNSUPPORTED.contains(e.getKey())) {
                JsonNode v = e.getValue();
                boolean off = v.isNull() || (v.isBoolean() && !v.asBoolean()) || (v.isTextual() && !PatroniBool.lenient(v));
                if (!off || !(v.isBoolean() || v.isNull() || v.isTextual())) {
                    on.add(e.getKey());
                }
            } else if (!PatroniKeys.DCS.contains(e.getKey())) {
                throw new ConfigException("unknown configuration key bootstrap.dcs." + e.getKey());
            }
        });
        if (!on.isEmpty()) {
            throw new ConfigException("bootstrap.dcs." + String.join(", bootstrap.dcs.", on)
                    + ": Patroni setting(s) that pgha does not support yet (see docs/configuration.md); remove to continue");
        }
        checkKeys("bootstrap.dcs.postgresql.", obj(dcs, "postgresql"), PatroniKeys.DCS_POSTGRESQL, PatroniKeys.DCS_POSTGRESQL_UNSUPPORTED);
        ObjectNode typed = dcs.deepCopy();
        typed.remove(PatroniKeys.DCS_UNSUPPORTED); // checked above: off, whatever type says so
        DynamicConfigValidator.Verdict v = DynamicConfigValidator.validate(typed, GucCatalog.NONE);
        if (!v.ok()) {
            throw new ConfigException("bootstrap.dcs." + v.problems().stream().map(Object::toString)
                    .reduce((a, b) -> a + "; bootstrap.dcs." + b).orElseThrow());
        }
    }

    private AgentSettings.RestApi restApi(JsonNode n, Path credentialsDir) {
        checkKeys("restapi.", n, PatroniKeys.RESTAPI, PatroniKeys.RESTAPI_UNSUPPORTED);
        AgentSettings.HostPort listen = hostPort(envOr("PATRONI_RESTAPI_LISTEN", text(n, "listen")), "restapi.listen", 8008);
        String connect = envOr("PATRONI_RESTAPI_CONNECT_ADDRESS", text(n, "connect_address"));
        AgentSettings.HostPort connectAddress = connect == null ? listen : hostPort(connect, "restapi.connect_address", 8008);
        JsonNode auth = n.get("authentication");
        AgentSettings.Login credentials = null;
        boolean none = auth != null && auth.isTextual() && auth.asText().equals("none");
        if (!none && auth == null && !env.containsKey("PATRONI_RESTAPI_USERNAME")) {
            throw new ConfigException("restapi.authentication is required: set username and password (or PATRONI_RESTAPI_USERNAME"
                    + " and PATRONI_RESTAPI_PASSWORD), or write 'authentication: none' to leave the write endpoints open");
        }
        if (!none) {
            credentials = credentials(auth == null ? JsonNodeFactory.instance.objectNode() : auth,
                    "restapi.authentication", "RESTAPI", credentialsDir, "restapi");
        }
        List<String> allowlist = new java.util.ArrayList<>();
        JsonNode al = n.get("allowlist");
        if (al != null) {
            if (!al.isArray()) {
                throw new ConfigException("restapi.allowlist: a list of host names, IP addresses or CIDR ranges is expected");
            }
            al.forEach(x -> allowlist.add(x.asText()));
        }
        return new AgentSettings.RestApi(listen, connectAddress, credentials, List.copyOf(allowlist), restTls(n));
    }

    private AgentSettings.Tls restTls(JsonNode n) {
        String cert = envOr("PATRONI_RESTAPI_CERTFILE", text(n, "certfile"));
        String key = envOr("PATRONI_RESTAPI_KEYFILE", text(n, "keyfile"));
        String ca = envOr("PATRONI_RESTAPI_CAFILE", text(n, "cafile"));
        String verify = envOr("PATRONI_RESTAPI_VERIFY_CLIENT", text(n, "verify_client"));
        String keyPassword = envOr("PATRONI_RESTAPI_KEYFILE_PASSWORD", text(n, "keyfile_password"));
        if (cert == null) {
            if (key != null || ca != null || verify != null || keyPassword != null) {
                throw new ConfigException("restapi.certfile: required for TLS (keyfile, cafile, keyfile_password and verify_client need it)");
            }
            return null;
        }
        verify = verify == null ? "none" : verify;
        if (!List.of("none", "optional", "required").contains(verify)) {
            throw new ConfigException("restapi.verify_client: expected none, optional or required, got " + verify);
        }
        if (!verify.equals("none") && ca == null) {
            throw new ConfigException("restapi.verify_client " + verify + ": needs restapi.cafile to check client certificates");
        }
        for (String f : new String[] {cert, key, ca}) {
            if (f != null && !java.nio.file.Files.isReadable(Path.of(f))) {
                throw new ConfigException("restapi: cannot read " + f);
            }
        }
        return new AgentSettings.Tls(Path.of(cert), key == null ? Path.of(cert) : Path.of(key), keyPassword,
                ca == null ? null : Path.of(ca), verify);
    }

    private static List<String> initdbOptions(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new ConfigException("bootstrap.initdb must be a list");
        }
        for (JsonNode item : n) {
            if (item.isObject()) {
                item.fields().forEachRemaining(e -> out.add("--" + e.getKey() + "=" + e.getValue().asText()));
            } else {
                out.add("--" + item.asText());
            }
        }
        return out;
    }

    private AgentSettings.Postgres postgres(JsonNode n, Path credentialsDir) {
        checkKeys("postgresql.", n, PatroniKeys.POSTGRESQL, PatroniKeys.POSTGRESQL_UNSUPPORTED);
        if (n.has("pgpass")) {
            notices.add("postgresql.pgpass: ignored; pgha keeps its password file beside the data directory, as <data_dir>.pgpass");
        }
        if (n.has("use_unix_socket")) {
            notices.add("postgresql.use_unix_socket: ignored; the agent connects to PostgreSQL over TCP");
        }
        AgentSettings.HostPort listen = hostPort(envOr("PATRONI_POSTGRESQL_LISTEN", text(n, "listen")), "postgresql.listen", 5432);
        String connect = envOr("PATRONI_POSTGRESQL_CONNECT_ADDRESS", text(n, "connect_address"));
        AgentSettings.HostPort connectAddress = connect == null ? listen : hostPort(connect, "postgresql.connect_address", 5432);
        String dataDir = envOr("PATRONI_POSTGRESQL_DATA_DIR", text(n, "data_dir"));
        require(dataDir, "postgresql.data_dir");
        String binDir = envOr("PATRONI_POSTGRESQL_BIN_DIR", text(n, "bin_dir"));
        if (binDir == null) {
            binDir = pgConfigBindir();
        }
        JsonNode auth = obj(n, "authentication");
        checkKeys("postgresql.authentication.", auth, PatroniKeys.AUTH_ROLES, Set.of());
        AgentSettings.Login su = credentials(obj(auth, "superuser"), "postgresql.authentication.superuser", "SUPERUSER", credentialsDir, "superuser");
        AgentSettings.Login repl = credentials(obj(auth, "replication"), "postgresql.authentication.replication", "REPLICATION", credentialsDir, "replication");
        AgentSettings.Login rewind = auth.has("rewind") || env.containsKey("PATRONI_REWIND_USERNAME")
                ? credentials(obj(auth, "rewind"), "postgresql.authentication.rewind", "REWIND", credentialsDir, "rewind") : null;
        Map<String, String> params = new LinkedHashMap<>();
        obj(n, "parameters").fields().forEachRemaining(e -> {
            String problem = DynamicConfigValidator.parameterProblem(e.getKey(), e.getValue(), java.util.Optional.empty());
            if (problem != null || e.getValue().isNull()) {
                throw new ConfigException("postgresql.parameters." + DynamicConfigValidator.showName(e.getKey()) + ": "
                        + (problem == null ? "no value" : problem));
            }
            params.put(e.getKey(), DynamicConfigValidator.confValue(e.getValue()));
        });
        List<String> hba = new ArrayList<>();
        if (n.has("pg_hba")) {
            if (!n.get("pg_hba").isArray()) {
                throw new ConfigException("postgresql.pg_hba must be a list of pg_hba.conf lines");
            }
            n.get("pg_hba").forEach(l -> hba.add(l.asText()));
        }
        String database = n.hasNonNull("database") ? n.get("database").asText() : "postgres";
        return new AgentSettings.Postgres(listen, connectAddress, Path.of(dataDir), Path.of(binDir), database, su, repl,
                rewind, Map.copyOf(params), List.copyOf(hba), bool(n, "use_pg_rewind", true),
                bool(n, "remove_data_directory_on_rewind_failure", false),
                bool(n, "remove_data_directory_on_diverged_timelines", false));
    }

    private AgentSettings.Tags tags(JsonNode n) {
        Map<String, Object> custom = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            if (!PatroniKeys.TAGS_KNOWN_BOOL.contains(e.getKey())) {
                custom.put(e.getKey(), YAML.convertValue(e.getValue(), Object.class));
            }
        });
        if (n.has("replicatefrom") || n.has("nostream") || n.has("failover_priority")) {
            throw new ConfigException("tags: replicatefrom, nostream and failover_priority are not supported by pgha yet");
        }
        boolean[] flags = new boolean[4];
        int i = 0;
        for (String tag : List.of("nofailover", "noloadbalance", "clonefrom", "nosync")) {
            flags[i++] = n.hasNonNull(tag) && strictBool(n.get(tag), "tags." + tag);
        }
        return new AgentSettings.Tags(flags[0], flags[1], flags[2], flags[3], Map.copyOf(custom));
    }

    private AgentSettings.Login credentials(JsonNode n, String path, String envRole, Path credentialsDir, String fileRole) {
        checkKeys(path + ".", n, Set.of("username", "password"), Set.of("sslmode", "sslkey", "sslcert", "sslrootcert", "sslpassword", "channel_binding", "gssencmode"));
        String user = envOr("PATRONI_" + envRole + "_USERNAME", text(n, "username"));
        String password = env.get("PATRONI_" + envRole + "_PASSWORD");
        if (password == null && credentialsDir != null) {
            Path f = credentialsDir.resolve(fileRole + "-password");
            if (Files.isReadable(f)) {
                try {
                    password = Files.readString(f).strip();
                } catch (IOException e) {
                    throw new ConfigException("cannot read " + f + ": " + e.getMessage());
                }
            }
        }
        if (password == null) {
            password = text(n, "password");
        }
        require(user, path + ".username");
        require(password, path + ".password (or PATRONI_" + envRole + "_PASSWORD, or pgha.credentials_dir/" + fileRole + "-password)");
        return new AgentSettings.Login(user, password);
    }

    /** Patroni finds PostgreSQL's programs on PATH when bin_dir is absent; Debian keeps them off PATH, so ask pg_config. */
    private static String pgConfigBindir() {
        try {
            Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() == 0 && !out.isEmpty()) {
                return out;
            }
            throw new ConfigException("postgresql.bin_dir is not set and `pg_config --bindir` failed: " + out);
        } catch (java.io.IOException e) {
            throw new ConfigException("postgresql.bin_dir is not set and pg_config is not installed: set bin_dir");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while running pg_config");
        }
    }

    static AgentSettings.HostPort hostPort(String s, String what, int defaultPort) {
        require(s, what);
        String v = s.trim();
        String host;
        String port;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            host = v.substring(1, end);
            port = v.length() > end + 2 ? v.substring(end + 2) : null;
        } else {
            int colon = v.lastIndexOf(':');
            host = colon < 0 ? v : v.substring(0, colon);
            port = colon < 0 ? null : v.substring(colon + 1);
        }
        if (host.contains(",")) {
            throw new ConfigException(what + ": one address expected, got '" + s + "' (pgha listens on one address)");
        }
        try {
            int p = port == null ? defaultPort : Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return new AgentSettings.HostPort(host.isEmpty() || host.equals("*") ? "0.0.0.0" : host, p);
        } catch (NumberFormatException e) {
            throw new ConfigException(what + ": invalid port in '" + s + "'");
        }
    }

    static void checkKeys(String prefix, JsonNode n, Set<String> known, Set<String> unsupported) {
        Iterator<String> it = n.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (unsupported.contains(k)) {
                throw new ConfigException(prefix + k + " is a Patroni setting that pgha does not support yet "
                        + "(see docs/configuration.md); remove it to continue");
            }
            if (!known.contains(k)) {
                throw new ConfigException("unknown configuration key " + prefix + k);
            }
        }
    }

    private String envOr(String var, String value) {
        String e = env.get(var);
        return e != null && !e.isBlank() ? e : value;
    }

    private static JsonNode obj(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!v.isObject()) {
            throw new ConfigException(key + " must be a mapping");
        }
        return v;
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v != null && !v.isNull() && !v.isValueNode()) {
            throw new ConfigException(key + ": expected a single value, got " + DynamicConfigValidator.show(v));
        }
        return v == null || v.isNull() ? null : scalar(v);
    }

    private static String scalar(JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean() ? "on" : "off";
        }
        return v.asText();
    }

    private static boolean bool(JsonNode n, String key, boolean dflt) {
        return n.hasNonNull(key) ? strictBool(n.get(key), "postgresql." + key) : dflt;
    }

    private static boolean strictBool(JsonNode v, String path) {
        Boolean b = PatroniBool.parse(v);
        if (b == null) {
            throw new ConfigException(path + ": expected a boolean (true/false, on/off, yes/no, 1/0), got "
                    + DynamicConfigValidator.show(v));
        }
        return b;
    }

    private static void require(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new ConfigException(what + " is required");
        }
    }
}
