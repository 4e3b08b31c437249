package io.pgha.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns one range read of the cluster prefix into a {@link Cluster}; shared by the agent and the CLI. */
public final class ClusterParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One key as read from etcd. */
    public record Entry(String key, String value, long modRevision, long lease) {}

    private ClusterParser() {}

    public static Cluster parse(DcsKeys keys, List<Entry> kvs, long revision) {
        String initialize = null;
        JsonNode config = null;
        long configRev = 0;
        Cluster.Leader leader = null;
        Map<String, Member> members = new HashMap<>();
        long optime = 0;
        long legacyOptime = 0;
        JsonNode history = null;
        JsonNode failover = null;
        long failoverRev = 0;
        JsonNode sync = null;
        long syncRev = 0;
        JsonNode failsafe = null;
        for (Entry kv : kvs) {
            String suffix = keys.suffixOf(kv.key());
            if (suffix == null) {
                continue;
            }
            String value = kv.value();
            switch (suffix) {
                case DcsKeys.INITIALIZE -> initialize = value;
                case DcsKeys.CONFIG -> {
                    config = json(value);
                    configRev = kv.modRevision();
                }
                case DcsKeys.LEADER -> leader = new Cluster.Leader(value, kv.lease(), kv.modRevision());
                case DcsKeys.STATUS -> {
                    JsonNode s = json(value);
                    optime = s != null && s.has("optime") ? s.get("optime").asLong(0) : 0;
                }
                case DcsKeys.LEGACY_OPTIME -> legacyOptime = parseLong(value);
                case DcsKeys.HISTORY -> history = json(value);
                case DcsKeys.FAILOVER -> {
                    failover = json(value);
                    failoverRev = kv.modRevision();
                }
                case DcsKeys.SYNC -> {
                    sync = json(value);
                    syncRev = kv.modRevision();
                }
                case DcsKeys.FAILSAFE -> failsafe = json(value);
                default -> {
                    if (suffix.startsWith(DcsKeys.MEMBERS) && suffix.indexOf('/') == suffix.lastIndexOf('/')) {
                        String name = suffix.substring(DcsKeys.MEMBERS.length());
                        JsonNode data = json(value);
                        if (data != null && data.isObject()) {
                            members.put(name, new Member(name, data, kv.lease()));
                        }
                    }
                }
            }
        }
        return new Cluster(revision, initialize, config, configRev, leader, Map.copyOf(members),
                optime != 0 ? optime : legacyOptime, history, failover, failoverRev, sync, syncRev, failsafe);
    }

    private static JsonNode json(String s) {
        try {
            return s.isEmpty() ? null : JSON.readTree(s);
        } catch (Exception e) {
            return null; // Patroni treats unparsable values as absent; so do we
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
