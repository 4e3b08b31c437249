package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Changes to the dynamic configuration as edit-config makes them. Pure functions on copies.
 * <ul>
 * <li>{@code -s a.b.c=value}: a dotted path, the value read as YAML (so {@code on} is true, an empty value
 *     or {@code null} deletes); below {@code postgresql.parameters} the rest of the path is one GUC name,
 *     since GUCs may contain dots; sections left empty by a delete are removed.</li>
 * <li>{@code --apply}: a YAML document deep-merged in, null deleting (Patroni's patch_config).</li>
 * </ul>
 */
public final class ConfigPatch {
    private ConfigPatch() {}

    public static ObjectNode set(JsonNode config, List<String> pairs) {
        ObjectNode out = copy(config);
        for (String pair : pairs) {
            int eq = pair == null ? -1 : pair.indexOf('=');
            if (eq < 0) {
                throw new CtlException("Invalid parameter setting " + pair);
            }
            List<String> path = Arrays.asList(pair.substring(0, eq).strip().split("\\.", -1));
            setPath(out, path, PyYaml.load(pair.substring(eq + 1)), List.of());
        }
        return out;
    }

    private static void setPath(ObjectNode node, List<String> path, JsonNode value, List<String> prefix) {
        if (prefix.equals(List.of("postgresql", "parameters"))) {
            path = List.of(String.join(".", path));
        }
        String key = path.get(0);
        if (path.size() == 1) {
            if (value.isNull()) {
                node.remove(key);
            } else {
                node.set(key, value);
            }
            return;
        }
        if (!(node.get(key) instanceof ObjectNode)) {
            node.putObject(key);
        }
        List<String> deeper = new ArrayList<>(prefix);
        deeper.add(key);
        ObjectNode child = (ObjectNode) node.get(key);
        setPath(child, path.subList(1, path.size()), value, deeper);
        if (child.isEmpty()) {
            node.remove(key);
        }
    }

    /** Deep merge of {@code patch} into a copy of {@code config}; a null value removes the key. */
    public static ObjectNode merge(JsonNode config, JsonNode patch) {
        ObjectNode out = copy(config);
        if (patch != null && !patch.isNull()) {
            if (!patch.isObject()) {
                throw new CtlException("the configuration to apply must be a YAML mapping");
            }
            mergeInto(out, (ObjectNode) patch);
        }
        return out;
    }

    private static void mergeInto(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode current = target.get(e.getKey());
            JsonNode value = e.getValue();
            if (value.isNull()) {
                target.remove(e.getKey());
            } else if (value.isObject() && current instanceof ObjectNode c) {
                mergeInto(c, (ObjectNode) value);
            } else {
                target.set(e.getKey(), value.deepCopy());
            }
        }
    }

    private static ObjectNode copy(JsonNode config) {
        return config instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
    }
}
