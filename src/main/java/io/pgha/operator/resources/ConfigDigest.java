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
                    sha.update((cm.getMetadata().getName() + "/" + e.getKey() + "\0" + e.getValue() + "\0")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
