package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * YAML the way patronictl reads and writes it (PyYAML's safe_load / safe_dump with sorted keys and a
 * 200-column width). SnakeYAML descends from PyYAML: the same YAML 1.1 resolver (so {@code on} is a
 * boolean and a string "on" gets quoted) and the same emitter, hence the same text.
 */
public final class PyYaml {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PyYaml() {}

    /** safe_dump(data, default_flow_style=flow, width=200): keys sorted, ends with a newline. */
    public static String dump(JsonNode node, boolean flow) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(flow ? DumperOptions.FlowStyle.FLOW : DumperOptions.FlowStyle.BLOCK);
        o.setWidth(200);
        o.setIndent(2);
        o.setAllowUnicode(true);
        o.setPrettyFlow(false);
        return new Yaml(new Representer(o), o).dump(toPlain(node));
    }

    /** safe_load: YAML 1.1 scalars (yes/no/on/off are booleans); an empty document is null. */
    public static JsonNode load(String text) {
        Object value;
        try {
            value = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new CtlException("invalid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return fromPlain(value);
    }

    static Object toPlain(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> m = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), toPlain(e.getValue()));
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(toPlain(x)));
            return l;
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.asLong() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        return n.asText();
    }

    static JsonNode fromPlain(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof Map<?, ?> m) {
            var o = f.objectNode();
            for (Map.Entry<?, ?> e : new LinkedHashMap<>(m).entrySet()) {
                o.set(String.valueOf(e.getKey()), fromPlain(e.getValue()));
            }
            return o;
        }
        if (v instanceof List<?> l) {
            var a = f.arrayNode();
            l.forEach(x -> a.add(fromPlain(x)));
            return a;
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (v instanceof Integer || v instanceof Long) {
            return f.numberNode(((Number) v).longValue());
        }
        if (v instanceof BigInteger bi) {
            return f.numberNode(bi);
        }
        if (v instanceof Double d) {
            return f.numberNode(d);
        }
        if (v instanceof BigDecimal bd) {
            return f.numberNode(bd);
        }
        if (v instanceof Date d) {
            // PyYAML would give a datetime that json.dumps cannot store; keep the instant as ISO-8601 text
            return f.textNode(d.toInstant().atOffset(ZoneOffset.UTC).toString());
        }
        return JSON.valueToTree(v instanceof byte[] ? new String((byte[]) v) : v.toString());
    }
}
