package io.pgha.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code etcd3} section of the agent's file: endpoints and TLS (PATRONI_ETCD3_* override the file). */
final class EtcdSection {
    private final Map<String, String> env;

    EtcdSection(Map<String, String> env) {
        this.env = env;
    }

    List<String> hosts(JsonNode n) {
        AgentSettingsLoader.checkKeys("etcd3.", n, PatroniKeys.ETCD3, PatroniKeys.ETCD3_UNSUPPORTED);
        String fromEnv = env.get("PATRONI_ETCD3_HOSTS");
        List<String> hosts = new ArrayList<>();
        if (fromEnv != null) {
            addHosts(hosts, fromEnv);
        } else if (n.has("hosts")) {
            JsonNode h = n.get("hosts");
            if (h.isArray()) {
                h.forEach(x -> addHosts(hosts, x.asText()));
            } else {
                addHosts(hosts, h.asText());
            }
        } else if (n.has("host")) {
            addHosts(hosts, n.get("host").asText());
        }
        if (hosts.isEmpty()) {
            throw new ConfigException("etcd3.hosts is required (pgha supports etcd v3 as its only DCS)");
        }
        for (String h : hosts) {
            AgentSettingsLoader.hostPort(h, "etcd3.hosts", 2379);
        }
        return List.copyOf(hosts);
    }

    private static void addHosts(List<String> hosts, String csv) {
        for (String s : csv.replace("[", "").replace("]", "").replace("'", "").replace("\"", "").split(",")) {
            if (!s.isBlank()) {
                String h = s.trim();
                hosts.add(h.replaceFirst("^https?://", ""));
            }
        }
    }

    /** TLS to etcd: protocol https (or https:// hosts), with Patroni's cacert, cert and key; null for plain HTTP. */
    AgentSettings.EtcdTls tls(JsonNode n) {
        String protocol = envOr("PATRONI_ETCD3_PROTOCOL", n.hasNonNull("protocol") ? n.get("protocol").asText() : null);
        String hosts = env.getOrDefault("PATRONI_ETCD3_HOSTS", n.path("hosts").isArray() ? n.path("hosts").toString() : n.path("hosts").asText(n.path("host").asText("")));
        boolean https = "https".equals(protocol) || hosts.contains("https://");
        if (protocol != null && !protocol.equals("http") && !protocol.equals("https")) {
            throw new ConfigException("etcd3.protocol: expected http or https, got '" + protocol + "'");
        }
        if (https && hosts.contains("http://")) {
            throw new ConfigException("etcd3: mixing http:// and https:// endpoints is not supported");
        }
        Path ca = tlsFile(n, "cacert", "PATRONI_ETCD3_CACERT");
        Path cert = tlsFile(n, "cert", "PATRONI_ETCD3_CERT");
        Path key = tlsFile(n, "key", "PATRONI_ETCD3_KEY");
        if (!https) {
            if (ca != null || cert != null || key != null) {
                throw new ConfigException("etcd3.cacert, cert and key need protocol: https");
            }
            return null;
        }
        if ((cert == null) != (key == null)) {
            throw new ConfigException("etcd3.cert and etcd3.key go together");
        }
        return new AgentSettings.EtcdTls(ca, cert, key);
    }

    private Path tlsFile(JsonNode n, String key, String envName) {
        String v = envOr(envName, n.hasNonNull(key) ? n.get(key).asText() : null);
        if (v == null || v.isBlank()) {
            return null;
        }
        Path p = Path.of(v);
        if (!Files.isReadable(p)) {
            throw new ConfigException("etcd3." + key + ": cannot read " + p);
        }
        return p;
    }

    private String envOr(String var, String value) {
        String e = env.get(var);
        return e != null && !e.isBlank() ? e : value;
    }
}
