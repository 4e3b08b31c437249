package io.pgha.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a peer's node-status JSON (§5.3) into a {@link PeerReport}, the way Patroni's election reads it. */
final class PeerStatusParser {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PeerStatusParser() {}

    /**
     * @throws IOException when the body is not JSON or has no {@code xlog} object: Patroni counts such a
     *                     peer (e.g. one whose PostgreSQL is down) as unreachable
     */
    static PeerReport parse(String name, byte[] body) throws IOException {
        JsonNode json = MAPPER.readTree(body);
        JsonNode xlog = json == null ? null : json.path("wal").isObject() ? json.get("wal") : json.get("xlog");
        if (xlog == null || !xlog.isObject()) {
            throw new IOException("no xlog in the status of " + name);
        }
        String role = json.path("role").asText(null);
        boolean primary = xlog.path("location").asLong(0) != 0 || "master".equals(role) || "primary".equals(role);
        long wal = primary
                ? xlog.path("location").asLong(0)
                : Math.max(xlog.path("received_location").asLong(0), xlog.path("replayed_location").asLong(0));
        return new PeerReport(name, true, primary, wal, json.path("timeline").asInt(0),
                json.path("state").asText(null), tags(json.get("tags")),
                json.path("watchdog_failed").asBoolean(false));
    }

    private static Map<String, Object> tags(JsonNode node) {
        Map<String, Object> tags = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> {
                Object value = MAPPER.convertValue(e.getValue(), Object.class);
                if (value != null) {
                    tags.put(e.getKey(), value); // Map.copyOf in PeerReport rejects nulls; a null tag means unset
                }
            });
        }
        return tags;
    }
}
