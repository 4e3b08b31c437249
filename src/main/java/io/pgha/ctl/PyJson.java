package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text in the layout of Python's default {@code json.dumps}: ", " and ": " separators, non-ASCII
 * escaped. patronictl prints its machine-readable output and writes the edited config this way, and
 * scripts that compare our output with patronictl's byte for byte depend on it.
 */
public final class PyJson {
    private PyJson() {}

    public static String dumps(JsonNode node) {
        StringBuilder b = new StringBuilder();
        write(b, node);
        return b.toString();
    }

    private static void write(StringBuilder b, JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            b.append("null");
        } else if (n.isObject()) {
            b.append('{');
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                string(b, e.getKey());
                b.append(": ");
                write(b, e.getValue());
                if (it.hasNext()) {
                    b.append(", ");
                }
            }
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                write(b, n.get(i));
            }
            b.append(']');
        } else if (n.isTextual()) {
            string(b, n.asText());
        } else if (n.isBoolean()) {
            b.append(n.asBoolean() ? "true" : "false");
        } else if (n.isFloatingPointNumber()) {
            double d = n.asDouble();
            b.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : n.asText());
        } else {
            b.append(n.asText());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
