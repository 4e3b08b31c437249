package io.pgha.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random dynamic configuration documents for property tests: keys mostly from the known set (and some
 * garbage), values of every JSON type in and out of range, parameter names that are valid, misspelt or
 * hostile (newline, quote, '='), values with control characters.
 */
public final class ConfigDocuments {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The server list the properties check against. */
    public static final GucCatalog SERVER = GucCatalog.of(Set.of("shared_buffers", "work_mem", "max_connections",
            "wal_log_hints", "log_line_prefix", "archive_command"));

    private ConfigDocuments() {}

    public static Arbitrary<JsonNode> documents() {
        Arbitrary<List<net.jqwik.api.Tuple.Tuple2<String, JsonNode>>> entries = Arbitraries.of(TOP_KEYS)
                .flatMap(k -> valueFor(k).map(v -> net.jqwik.api.Tuple.of(k, v))).list().ofMaxSize(5);
        Arbitrary<JsonNode> pg = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, postgresql()), net.jqwik.api.Tuple.of(1, values()));
        return net.jqwik.api.Combinators.combine(entries, pg, Arbitraries.integers().between(0, 20)).as((es, p, shape) -> {
            ObjectNode o = F.objectNode();
            es.forEach(e -> o.set(e.get1(), e.get2()));
            if (shape > 2) {
                o.set("postgresql", p);
            }
            if (shape == 1) {
                o.put("bogus_key", 1);
            }
            return shape == 0 && es.isEmpty() ? p : o; // now and then not a mapping at all
        });
    }

    private static final List<String> TOP_KEYS = List.of("ttl", "loop_wait", "retry_timeout", "maximum_lag_on_failover",
            "maximum_lag_on_syncnode", "check_timeline", "pause", "synchronous_mode", "synchronous_mode_strict",
            "synchronous_node_count", "failsafe_mode", "primary_start_timeout", "slots", "standby_cluster");

    /** Mostly a valid value for the key (so that whole documents pass often enough), sometimes anything at all. */
    private static Arbitrary<JsonNode> valueFor(String key) {
        Arbitrary<JsonNode> valid = switch (key) {
            case "ttl" -> ints(20, 60);
            case "loop_wait", "retry_timeout" -> ints(1, 2); // within the default ttl of 6 too
            case "maximum_lag_on_failover", "primary_start_timeout" -> ints(0, 1 << 30);
            case "maximum_lag_on_syncnode" -> ints(-1, 1 << 30);
            case "synchronous_node_count" -> ints(1, 5);
            case "slots", "standby_cluster" -> values();
            default -> Arbitraries.of("on", "off", "yes", "no", "TRUE", "0", "1").map(t -> (JsonNode) F.textNode(t));
        };
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, valid), net.jqwik.api.Tuple.of(1, values()));
    }

    private static Arbitrary<JsonNode> ints(int min, int max) {
        return Arbitraries.integers().between(min, max).map(i -> (JsonNode) F.numberNode(i));
    }

    private static Arbitrary<JsonNode> postgresql() {
        Arbitrary<Map<String, JsonNode>> params = Arbitraries.maps(parameterNames(), parameterValues()).ofMaxSize(4);
        return net.jqwik.api.Combinators.combine(params, valueFor("check_timeline"), valueFor("pause"), Arbitraries.integers().between(0, 12))
                .as((ps, rewind, slots, shape) -> {
                    ObjectNode o = F.objectNode();
                    ObjectNode p = F.objectNode();
                    ps.forEach(p::set);
                    o.set("parameters", shape == 0 ? F.arrayNode().add(p) : p);
                    if (shape >= 6) {
                        o.set("use_pg_rewind", rewind);
                    }
                    if (shape >= 9) {
                        o.set("use_slots", slots);
                    }
                    if (shape == 1) {
                        o.put("bogus", 1);
                    }
                    return o;
                });
    }

    public static Arbitrary<String> parameterNames() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.of("shared_buffers", "work_mem", "Work_Mem", "max_connections",
                        "log_line_prefix", "archive_command", "pg_stat_statements.max", "a.b.c", "my_ext.x_1")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("shared_bufers", "a\nb", "x'y", "a=b", ".x", "x.", "", "1a",
                        "include", "a b", "ext.\u00e9", "x\\y", "a.b\n", "a\u2028b")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(10)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("abc_.=\n'\" ").ofMaxLength(6)));
    }

    private static Arbitrary<JsonNode> parameterValues() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12).map(F::textNode)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("1GB", "it's", "a\\b", "back\\'slash", "'", "''", "\\", "%m [%p] ",
                        "\u00e9t\u00e9", "a\u2028b", "on", "-1").map(F::textNode)),
                net.jqwik.api.Tuple.of(1, scalars()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("1GB", "it's", "a\\b", "back\\'slash", "'", "''", "\\", "x\ny",
                        "\r", "tab\there", "\u0000", "\u007f", "q'\n#").map(F::textNode)),
                net.jqwik.api.Tuple.of(1, values()));
    }

    public static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-10, 5000).map(i -> (JsonNode) F.numberNode(i)),
                Arbitraries.longs().map(l -> (JsonNode) F.numberNode(l)),
                Arbitraries.just(F.numberNode(new BigInteger("123456789012345678901234567890"))),
                Arbitraries.doubles().map(d -> (JsonNode) F.numberNode(d)),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY).map(d -> (JsonNode) F.numberNode(d)),
                Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
                Arbitraries.of("on", "off", "yes", "no", "1", "0", "quorum", "30", "-7", "abc", "", "1e3", " 6 ")
                        .map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.strings().all().ofMaxLength(12).map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.just(F.nullNode()));
    }

    public static Arbitrary<JsonNode> values() {
        Arbitrary<JsonNode> list = scalars().list().ofMaxSize(3).map(ConfigDocuments::array);
        Arbitrary<JsonNode> map = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(5), scalars()).ofMaxSize(3)
                .map(m -> {
                    ObjectNode o = F.objectNode();
                    m.forEach(o::set);
                    return o;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, scalars()), net.jqwik.api.Tuple.of(1, list),
                net.jqwik.api.Tuple.of(1, map));
    }

    private static JsonNode array(List<JsonNode> items) {
        ArrayNode a = F.arrayNode();
        items.forEach(a::add);
        return a;
    }
}
