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
 * ctl.authentication or restapi.authentication (PATRONI_RESTAPI_USERNAME / _PASSWORD override the latter).
 *
 * @param restAuth "user:pass" for HTTP Basic on REST calls, or null
 * @param insecure accept any TLS certificate of a member's REST API (ctl.insecure, -k)
 * @param cacert CA bundle for members' REST APIs (ctl.cacert, falling back to restapi.cafile)
 */
public record CtlConfig(String scope, String namespace, List<String> etcdHosts, String etcdUser, String etcdPassword,
                        String restAuth, boolean insecure, String cacert) {

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
        String etcdUser = first(env.get("PATRONI_ETCD3_USERNAME"), text(etcd, "username"), text(etcd, "user"));
        String etcdPassword = first(env.get("PATRONI_ETCD3_PASSWORD"), text(etcd, "password"));

        JsonNode ctl = root.path("ctl");
        JsonNode restapi = root.path("restapi");
        String restUser = first(env.get("PATRONI_RESTAPI_USERNAME"), text(restapi.path("authentication"), "username"));
        String restPassword = first(env.get("PATRONI_RESTAPI_PASSWORD"), text(restapi.path("authentication"), "password"));
        String restAuth = first(text(ctl, "auth"), userPass(text(ctl.path("authentication"), "username"),
                text(ctl.path("authentication"), "password")), userPass(restUser, restPassword));
        String insecureValue = first(env.get("PATRONI_CTL_INSECURE"), text(ctl, "insecure"));
        boolean insecure = insecureValue != null && List.of("true", "on", "yes", "1").contains(insecureValue.toLowerCase());
        String cacert = first(env.get("PATRONI_CTL_CACERT"), text(ctl, "cacert"), env.get("PATRONI_RESTAPI_CAFILE"), text(restapi, "cafile"));
        return new CtlConfig(scope, namespace, List.copyOf(hosts), etcdUser, etcdPassword, restAuth, insecure, cacert);
    }

    /** The same configuration talking to other etcd hosts (-d/--dcs-url etcd3://host:port). */
    public CtlConfig withEtcdHosts(List<String> hosts) {
        return new CtlConfig(scope, namespace, hosts, etcdUser, etcdPassword, restAuth, insecure, cacert);
    }

    public CtlConfig withInsecure(boolean value) {
        return new CtlConfig(scope, namespace, etcdHosts, etcdUser, etcdPassword, restAuth, insecure || value, cacert);
    }

    /** The hosts, or a refusal when none were configured. */
    public List<String> requireEtcdHosts() {
        if (etcdHosts.isEmpty()) {
            throw new CtlException("no etcd3 hosts: give a configuration file with etcd3.hosts (-c) or set PATRONI_ETCD3_HOSTS");
        }
        return etcdHosts;
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

    private static void split(List<String> out, String csv) {
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim().replaceFirst("^https?://", "").replaceFirst("/+$", ""));
            }
        }
    }
}
