package io.pgha.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The JSON merge patch that brings a cluster's {@code config} key to what the spec decides: only the keys whose
 * values differ. A key the cluster lacks counts as its Patroni default (false, or 1 synchronous standby), so
 * an asynchronous cluster is not patched just to write "synchronous_mode: false".
 */
final class DynamicConfigDiff {
    private static final Map<String, JsonNode> DEFAULTS = Map.of(
            "synchronous_mode", JsonNodeFactory.instance.booleanNode(false),
            "synchronous_mode_strict", JsonNodeFactory.instance.booleanNode(false),
            "synchronous_node_count", JsonNodeFactory.instance.numberNode(1));

    private DynamicConfigDiff() {}

    static ObjectNode of(ObjectNode desired, JsonNode actual) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        desired.fields().forEachRemaining(e -> {
            JsonNode have = actual.get(e.getKey());
            if (have == null || have.isNull()) {
                have = DEFAULTS.get(e.getKey());
            }
            if (have == null || !same(e.getValue(), have)) {
                patch.set(e.getKey(), e.getValue());
            }
        });
        return patch;
    }

    /** Numbers by value (30 equals 30.0), booleans also from Patroni's strings ("on", "true"). */
    private static boolean same(JsonNode want, JsonNode have) {
        if (want.isNumber() && have.isNumber()) {
            return want.decimalValue().compareTo(have.decimalValue()) == 0;
        }
        if (want.isBoolean()) {
            return want.asBoolean() == io.pgha.contract.PatroniBool.lenient(have);
        }
        return want.equals(have);
    }
}
