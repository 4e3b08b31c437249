package io.pgha.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** PATCH /config semantics: objects merge key by key, {@code null} deletes a key, anything else replaces. */
public final class JsonMerge {

    private JsonMerge() {}

    /** Returns a new tree; neither argument is modified. */
    public static JsonNode merge(JsonNode base, JsonNode patch) {
        if (patch == null || !patch.isObject() || base == null || !base.isObject()) {
            return patch == null ? base : patch.deepCopy();
        }
        ObjectNode out = ((ObjectNode) base).deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                out.remove(e.getKey());
            } else if (e.getValue().isObject() && out.path(e.getKey()).isObject()) {
                out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
            } else {
                out.set(e.getKey(), stripNulls(e.getValue().deepCopy()));
            }
        }
        return out;
    }

    /** A new object in a patch may not carry nulls into the stored config. */
    private static JsonNode stripNulls(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            o.properties().removeIf(e -> e.getValue().isNull());
            o.properties().forEach(e -> stripNulls(e.getValue()));
        }
        return n;
    }
}
