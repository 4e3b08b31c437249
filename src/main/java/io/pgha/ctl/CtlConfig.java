package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgha.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the CLI needs, read like patronictl reads it: a patronictl/Patroni YAML file, then PATRONI_*
 * variables on top (they win, as in Patroni). REST credentials come from ctl.auth ("user:pass"),
 * ctl.authentication or restapi.authentication (PATRONI_RESTAPI_USERNAME / _PASSWORD override the latter);
 * REST TLS from ctl.cacert/certfile/keyfile, falling back to restapi.cafile/certfile/keyfile as patronictl does.
 */
public record CtlConfig(String scope, String namespace, Etcd etcd, Rest rest) {

    /** TLS material: PEM files; insecure accepts any server certificate. */
    public record Tls(String cacert, String certfile, String keyfile, boolean insecure) {
        public static final Tls NONE = new Tls(null, null, null, false);

        boolean isDefault() {
            return cacert == null && certfile == null && !insecure;
        }
    }

    /** etcd v3: hosts as host:port (or full URLs), the scheme for bare hosts, credentials, TLS. */
    public record Etcd(List<String> hosts, String protocol, String user, String password, Tls tls) {}

    /** Members' REST APIs: "user:pass" for HTTP Basic or null, and TLS. */
    public record Rest(String auth, Tls tls) {}

    /** A plain-HTTP configuration (tests, -d URLs). */
    public static CtlConfig of(String scope, String namespace, List<String> etcdHosts, String restAuth) {
        return new CtlConfig(scope, namespace, new Etcd(etcdHosts, "http", null, null, Tls.NONE), new Rest(restAuth, Tls.NONE));
    }

    public static CtlConfig load(Path file, Map<String, String> env) {
        JsonNode root = read(file);
        String scope = first(env.get("PATRONI_SCOPE"), text(root, "scope"));
        String namespace = first(env.get("PATRONI_NAMESPACE"), text(root, "namespace"), "/service/");

        JsonNode etcd = root.path("etcd3");
        List<String> hosts = new ArrayList<>();
        String envHosts = first(env.get("PATRONI_ETCD3_HOSTS"), env.get("PATRONI_ETCD3_HOST"), env.get("PATRONI_ETCD3_URL"));
        if (envHosts != null) {
            split(hosts, envHosts);
        } else if (etcd.has("hosts") && etcd.get("hosts").isArray()) {
            etcd.get("hosts").forEach(h -> split(hosts, h.asText()));
        } else {
            for (String key : List.of("hosts", "host", "url", "proxy")) {
                if (hosts.isEmpty() && etcd.hasNonNull(key)) {
                    split(hosts, etcd.get(key).asText());
                }
            }
        }
        Tls etcdTls = new Tls(first(env.get("PATRONI_ETCD3_CACERT"), text(etcd, "cacert")),
                first(env.get("PATRONI_ETCD3_CERT"), text(etcd, "cert")), first(env.get("PATRONI_ETCD3_KEY"), text(etcd, "key")), false);
        String protocol = first(env.get("PATRONI_ETCD3_PROTOCOL"), text(etcd, "protocol"), etcdTls.cacert() != null ? "https" : "http");
        Etcd etcdConfig = new Etcd(List.copyOf(hosts), protocol,
                first(env.get("PATRONI_ETCD3_USERNAME"), text(etcd, "username"), text(etcd, "user")),
                first(env.get("PATRONI_ETCD3_PASSWORD"), text(etcd, "password")), etcdTls);

        JsonNode ctl = root.path("ctl");
        JsonNode restapi = root.path("restapi");
        String restUser = first(env.get("PATRONI_RESTAPI_USERNAME"), text(restapi.path("authentication"), "username"));
        String restPassword = first(env.get("PATRONI_RESTAPI_PASSWORD"), text(restapi.path("authentication"), "password"));
        String auth = first(text(ctl, "auth"), userPass(text(ctl.path("authentication"), "username"),
                text(ctl.path("authentication"), "password")), userPass(restUser, restPassword));
        String insecure = first(env.get("PATRONI_CTL_INSECURE"), text(ctl, "insecure"));
        Tls restTls = new Tls(
                first(env.get("PATRONI_CTL_CACERT"), text(ctl, "cacert"), env.get("PATRONI_RESTAPI_CAFILE"), text(restapi, "cafile")),
                first(env.get("PATRONI_CTL_CERTFILE"), text(ctl, "certfile"), env.get("PATRONI_RESTAPI_CERTFILE"), text(restapi, "certfile")),
                first(env.get("PATRONI_CTL_KEYFILE"), text(ctl, "keyfile"), env.get("PATRONI_RESTAPI_KEYFILE"), text(restapi, "keyfile")),
                insecure != null && List.of("true", "on", "yes", "1").contains(insecure.toLowerCase()));
        return new CtlConfig(scope, namespace, etcdConfig, new Rest(auth, restTls));
    }

    /** The same configuration talking to other etcd hosts (-d/--dcs-url etcd3://host:port). */
    public CtlConfig withEtcdHosts(List<String> hosts) {
        return new CtlConfig(scope, namespace, new Etcd(hosts, etcd.protocol(), etcd.user(), etcd.password(), etcd.tls()), rest);
    }

    /** -k/--insecure on the command line. */
    public CtlConfig withInsecure(boolean value) {
        Tls t = rest.tls();
        return new CtlConfig(scope, namespace, etcd, new Rest(rest.auth(), new Tls(t.cacert(), t.certfile(), t.keyfile(), t.insecure() || value)));
    }

    public List<String> etcdHosts() {
        return etcd.hosts();
    }

    public String restAuth() {
        return rest.auth();
    }

    public boolean insecure() {
        return rest.tls().insecure();
    }

    /** Base URLs of the etcd hosts (scheme from etcd3.protocol for bare host:port), or a refusal when none were configured. */
    public List<String> etcdUrls() {
        if (etcd.hosts().isEmpty()) {
            throw new CtlException("no etcd3 hosts: give a configuration file with etcd3.hosts (-c) or set PATRONI_ETCD3_HOSTS");
        }
        return etcd.hosts().stream().map(h -> h.contains("://") ? h : etcd.protocol() + "://" + h).toList();
    }

    private static JsonNode read(Path file) {
        if (file == null) {
            return new ObjectMapper().createObjectNode();
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException("Provided config file " + file + " not existing or no read rights. Check the -c/--config-file parameter");
        }
        try {
            JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
            return n == null || !n.isObject() ? new ObjectMapper().createObjectNode() : n;
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String userPass(String user, String password) {
        return user == null ? null : user + ":" + (password == null ? "" : password);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n == null ? null : n.get(key);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** Bare host:port entries; full http(s) URLs are kept as they are, their scheme wins over etcd3.protocol. */
    private static void split(List<String> out, String csv) {
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim().replaceFirst("/+$", ""));
            }
        }
    }
}
