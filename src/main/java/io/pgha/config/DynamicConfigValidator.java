package io.pgha.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.contract.PatroniBool;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a whole dynamic configuration (the DCS {@code config} key, {@code bootstrap.dcs}) the way Patroni's
 * validator types it, with pgha's timing ranges ({@link DcsTiming}). Pure: it never throws for any document,
 * it reports every problem, and a configuration it accepts renders only safe postgresql.conf lines.
 */
public final class DynamicConfigValidator {

    /** One problem; {@code key} is the dotted path, with an odd parameter name shown JSON-quoted. */
    public record Problem(String key, String message) {
        @Override
        public String toString() {
            return key + ": " + message;
        }
    }

    /**
     * @param uncheckedNames parameter names that look valid but could not be compared with the server's list
     */
    public record Verdict(List<Problem> problems, List<String> uncheckedNames) {
        public boolean ok() {
            return problems.isEmpty();
        }

        /** One line (names and values are JSON-quoted, so no newline can hide in it). */
        public String message() {
            List<String> parts = problems.stream().map(Problem::toString).toList();
            return "invalid dynamic configuration: " + String.join("; ", parts);
        }
    }

    /** Longest parameter name accepted (PostgreSQL's own are at most 40 characters; custom ones a prefix more). */
    static final int MAX_NAME_CHARS = 128;
    /** Longest parameter value accepted: archive_command and log_line_prefix fit well within it. */
    static final int MAX_VALUE_CHARS = 8192;
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern CUSTOM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+");
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private enum Kind { INT, BOOL, OBJECT, IGNORED }

    private record Rule(Kind kind, long min, long max) {
        static Rule integer(long min, long max) {
            return new Rule(Kind.INT, min, max);
        }
    }

    private static final Rule BOOL = new Rule(Kind.BOOL, 0, 0);
    /** Patroni settings pgha stores and shows but does not act on; their value has no effect. */
    private static final Rule IGNORED = new Rule(Kind.IGNORED, 0, 0);

    private static final Map<String, Rule> TOP = new LinkedHashMap<>();
    private static final Map<String, Rule> POSTGRESQL = new LinkedHashMap<>();

    static {
        TOP.put("ttl", Rule.integer(DcsTiming.MIN_TTL, DcsTiming.MAX_SECONDS));
        TOP.put("loop_wait", Rule.integer(DcsTiming.MIN_LOOP_WAIT, DcsTiming.MAX_SECONDS));
        TOP.put("retry_timeout", Rule.integer(DcsTiming.MIN_RETRY_TIMEOUT, DcsTiming.MAX_SECONDS));
        TOP.put("maximum_lag_on_failover", Rule.integer(0, Long.MAX_VALUE));
        TOP.put("maximum_lag_on_syncnode", Rule.integer(-1, Long.MAX_VALUE));
        TOP.put("check_timeline", BOOL);
        TOP.put("pause", BOOL);
        TOP.put("synchronous_mode", BOOL);
        TOP.put("synchronous_mode_strict", BOOL);
        TOP.put("synchronous_node_count", Rule.integer(1, 1024));
        TOP.put("failsafe_mode", BOOL);
        for (String k : List.of("primary_start_timeout", "master_start_timeout", "primary_stop_timeout", "master_stop_timeout",
                "max_timelines_history", "member_slots_ttl")) {
            TOP.put(k, Rule.integer(0, Integer.MAX_VALUE));
        }
        for (String k : List.of("standby_cluster", "slots", "permanent_slots", "permanent_replication_slots", "ignore_slots")) {
            TOP.put(k, IGNORED);
        }
        TOP.put("postgresql", new Rule(Kind.OBJECT, 0, 0));
        POSTGRESQL.put("use_pg_rewind", BOOL);
        POSTGRESQL.put("use_slots", BOOL);
        POSTGRESQL.put("parameters", new Rule(Kind.OBJECT, 0, 0));
        PatroniKeys.DCS_POSTGRESQL_UNSUPPORTED.forEach(k -> POSTGRESQL.put(k, IGNORED));
    }

    private DynamicConfigValidator() {}

    public static Verdict validate(JsonNode config, GucCatalog gucs) {
        List<Problem> problems = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        if (config == null || !config.isObject()) {
            problems.add(new Problem("(document)", "expected a mapping, got " + show(config)));
            return new Verdict(problems, unchecked);
        }
        checkSection("", config, TOP, problems);
        String timing = timingProblem(config);
        if (timing != null) {
            problems.add(new Problem("ttl/loop_wait/retry_timeout", timing));
        }
        JsonNode pg = config.get("postgresql");
        if (pg != null && pg.isObject()) {
            checkSection("postgresql.", pg, POSTGRESQL, problems);
            JsonNode params = pg.get("parameters");
            if (params != null && params.isObject()) {
                Optional<Set<String>> known = gucs.names();
                for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String p = parameterProblem(e.getKey(), e.getValue(), known);
                    if (p != null) {
                        problems.add(new Problem("postgresql.parameters." + showName(e.getKey()), p));
                    } else if (known.isEmpty() && PLAIN_NAME.matcher(e.getKey()).matches()) {
                        unchecked.add(e.getKey());
                    }
                }
            }
        }
        return new Verdict(List.copyOf(problems), List.copyOf(unchecked));
    }

    private static void checkSection(String prefix, JsonNode section, Map<String, Rule> rules, List<Problem> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            Rule rule = rules.get(e.getKey());
            if (rule == null) {
                problems.add(new Problem(prefix + showName(e.getKey()), "unknown dynamic configuration key"));
                continue;
            }
            String p = problem(rule, e.getValue());
            if (p != null) {
                problems.add(new Problem(prefix + e.getKey(), p));
            }
        }
    }

    /** Why the value of a top-level key (e.g. ttl, synchronous_mode) is invalid, or null when it is valid or absent. */
    public static String fieldProblem(String key, JsonNode value) {
        Rule rule = TOP.getOrDefault(key, POSTGRESQL.get(key.startsWith("postgresql.") ? key.substring(11) : key));
        return rule == null ? "unknown dynamic configuration key" : problem(rule, value);
    }

    private static String problem(Rule rule, JsonNode v) {
        if (v == null || v.isNull()) {
            return null; // absent: the default applies (and null deletes, as in Patroni's patch)
        }
        return switch (rule.kind()) {
            case IGNORED -> null;
            case OBJECT -> v.isObject() ? null : "expected a mapping, got " + show(v);
            case BOOL -> PatroniBool.parse(v) != null ? null
                    : "expected a boolean (true/false, on/off, yes/no, 1/0), got " + show(v);
            case INT -> {
                Long n = integer(v);
                if (n == null) {
                    yield "expected an integer, got " + show(v);
                }
                yield n < rule.min() || n > rule.max() ? "must be " + range(rule) + ", got " + n : null;
            }
        };
    }

    private static String range(Rule r) {
        return r.max() >= Integer.MAX_VALUE ? "at least " + r.min() : "between " + r.min() + " and " + r.max();
    }

    /**
     * The timing rule over the values this configuration gives (pgha's defaults for absent ones); null when
     * a value is missing its type or range (already reported) or the rule holds.
     */
    private static String timingProblem(JsonNode c) {
        Long ttl = timingValue(c, "ttl", DcsTiming.PGHA_DEFAULT.ttl());
        Long loop = timingValue(c, "loop_wait", DcsTiming.PGHA_DEFAULT.loopWait());
        Long retry = timingValue(c, "retry_timeout", DcsTiming.PGHA_DEFAULT.retryTimeout());
        if (ttl == null || loop == null || retry == null) {
            return null;
        }
        return DcsTiming.problem(ttl, loop, retry);
    }

    private static Long timingValue(JsonNode c, String key, int dflt) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            return (long) dflt;
        }
        return fieldProblem(key, v) == null ? integer(v) : null;
    }

    /** An integer as Patroni reads one: a JSON integer, or a string of digits ("30"); null for anything else. */
    public static Long integer(JsonNode v) {
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber()) {
            BigInteger b = v.bigIntegerValue();
            return b.compareTo(LONG_MIN) < 0 || b.compareTo(LONG_MAX) > 0 ? null : b.longValue();
        }
        if (v.isTextual() && v.asText().trim().matches("-?[0-9]{1,18}")) {
            return Long.parseLong(v.asText().trim());
        }
        return null;
    }

    /** Why a PostgreSQL parameter cannot be written into postgresql.conf, or null when it can. */
    public static String parameterProblem(String name, JsonNode value, Optional<Set<String>> knownNames) {
        if (name.length() > MAX_NAME_CHARS) {
            return "parameter name longer than " + MAX_NAME_CHARS + " characters";
        }
        boolean plain = PLAIN_NAME.matcher(name).matches();
        if (!plain && !CUSTOM_NAME.matcher(name).matches()) {
            return "not a valid parameter name (letters, digits and '_', or a custom prefix.name)";
        }
        if (plain && knownNames.isPresent() && !knownNames.get().contains(name.toLowerCase(Locale.ROOT))) {
            return "not a parameter of this PostgreSQL server (an extension's parameters have a prefix, e.g. "
                    + "pg_stat_statements.max)";
        }
        return value != null && confValue(value) == null && !value.isNull() ? valueProblem(value) : null;
    }

    private static String valueProblem(JsonNode v) {
        if (!v.isValueNode()) {
            return "expected a string, number or boolean, got " + show(v);
        }
        if (v.isTextual() && v.asText().length() > MAX_VALUE_CHARS) {
            return "value longer than " + MAX_VALUE_CHARS + " characters";
        }
        if (v.isNumber()) {
            return "not a finite number: " + show(v);
        }
        return "value holds a control character (newline, tab, ...): " + show(v);
    }

    /**
     * A parameter's value as postgresql.conf gets it (booleans as on/off), or null when it is not a scalar,
     * too long, or holds a control character.
     */
    public static String confValue(JsonNode v) {
        if (v == null || v.isNull() || !v.isValueNode() || v.isBinary() || v.isPojo()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean() ? "on" : "off";
        }
        if (v.isNumber() && !Double.isFinite(v.asDouble())) {
            return null;
        }
        String s = v.asText();
        if (s.length() > MAX_VALUE_CHARS) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                return null;
            }
        }
        return s;
    }

    /** A key or parameter name as messages show it: as is when well-formed, else JSON-quoted in printable ASCII. */
    public static String showName(String name) {
        return PLAIN_NAME.matcher(name).matches() || CUSTOM_NAME.matcher(name).matches() ? name : quoted(name);
    }

    /** A value as JSON, shortened and in printable ASCII: no control character or line separator reaches a message or a log. */
    public static String show(JsonNode v) {
        return v == null ? "nothing" : v.isTextual() ? quoted(v.asText()) : printable(v.toString(), 60);
    }

    private static String quoted(String s) {
        return "\"" + printable(s.replace("\\", "\\\\").replace("\"", "\\\""), 57) + "\"";
    }

    /** Escapes everything outside printable ASCII as \\uXXXX and cuts after {@code max} characters. */
    private static String printable(String s, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x20 && ch < 0x7f) {
                b.append(ch);
            } else if (ch == '\n') {
                b.append("\\n");
            } else {
                b.append(String.format("\\u%04x", (int) ch));
            }
        }
        return b.length() >= max ? b + "..." : b.toString();
    }
}
