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

/** What the CLI needs to find a cluster: read from a patronictl-style YAML file and PATRONI_* variables. */
public record CtlConfig(String scope, String namespace, List<String> etcdHosts) {

    public static CtlConfig load(Path file, Map<String, String> env) {
        JsonNode root = null;
        if (file != null) {
            try {
                root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
            } catch (IOException e) {
                throw new ConfigException("cannot read " + file + ": " + e.getMessage());
            }
        }
        String scope = env.getOrDefault("PATRONI_SCOPE", root == null ? null : root.path("scope").asText(null));
        String namespace = env.getOrDefault("PATRONI_NAMESPACE", root == null ? "/service/" : root.path("namespace").asText("/service/"));
        List<String> hosts = new ArrayList<>();
        String fromEnv = env.get("PATRONI_ETCD3_HOSTS");
        JsonNode etcd = root == null ? null : root.path("etcd3");
        if (fromEnv != null) {
            split(hosts, fromEnv);
        } else if (etcd != null && etcd.has("hosts")) {
            if (etcd.get("hosts").isArray()) {
                etcd.get("hosts").forEach(h -> split(hosts, h.asText()));
            } else {
                split(hosts, etcd.get("hosts").asText());
            }
        } else if (etcd != null && etcd.has("host")) {
            split(hosts, etcd.get("host").asText());
        }
        if (hosts.isEmpty()) {
            throw new ConfigException("no etcd3 hosts: give a configuration file with etcd3.hosts (-c) or set PATRONI_ETCD3_HOSTS");
        }
        return new CtlConfig(scope, namespace, List.copyOf(hosts));
    }

    private static void split(List<String> out, String csv) {
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim().replaceFirst("^https?://", ""));
            }
        }
    }
}
