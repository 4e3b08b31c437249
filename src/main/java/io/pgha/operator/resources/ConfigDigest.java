package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A short digest of configuration that pods read only at start. Put on the pod template, it turns a
 * configuration change into a template change, which the rolling update then applies pod by pod.
 */
public final class ConfigDigest {

    /**
     * Keys that pods pick up while running (the kubelet refreshes mounted ConfigMaps and the agent re-reads the
     * file when it changes): a new database or user must not restart every member.
     */
    static final java.util.Set<String> LIVE_KEYS = java.util.Set.of(AgentConfigMap.PROVISIONING_YAML);

    private ConfigDigest() {}

    /**
     * agent.yaml without its top-level {@code bootstrap:} section: bootstrap.dcs only seeds a new cluster, and a
     * running one gets its dynamic settings by PATCH /config, so a change there must not restart every member.
     */
    static String withoutBootstrap(String yaml) {
        StringBuilder out = new StringBuilder();
        boolean skipping = false;
        for (String line : yaml.split("\n", -1)) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                skipping = line.startsWith("bootstrap:");
            }
            if (!skipping) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    public static String of(ConfigMap... maps) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (ConfigMap cm : maps) {
                if (cm == null) {
                    continue;
                }
                for (Map.Entry<String, String> e : new TreeMap<>(cm.getData()).entrySet()) {
                    if (LIVE_KEYS.contains(e.getKey())) {
                        continue;
                    }
                    String value = e.getKey().equals(AgentConfigMap.AGENT_YAML) ? withoutBootstrap(e.getValue()) : e.getValue();
                    sha.update((cm.getMetadata().getName() + "/" + e.getKey() + "\0" + value + "\0")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
