package io.pgha.ctl;

import io.pgha.contract.ClusterView;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * `patronictl list` and `topology` output from a {@link ClusterView}: the member rows with the optional
 * Pending restart / Scheduled restart / Tags columns (when any member has them, or always with -e),
 * host:port when ports differ from 5432 or hosts repeat, and the maintenance / scheduled switchover footer.
 */
public final class MemberTable {
    private static final double MIB = 1024 * 1024;
    private static final Set<String> RIGHT = Set.of("Lag in MB", "TL");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private MemberTable() {}

    public static String render(String scope, ObjectNode view, boolean extended, String fmt) {
        List<ObjectNode> members = new ArrayList<>();
        view.get("members").forEach(m -> members.add((ObjectNode) m));
        List<ObjectNode> withHost = members.stream().filter(m -> m.has("host")).toList();

        List<String> columns = new ArrayList<>(List.of("Cluster", "Member", "Host", "Role", "State", "TL", "Lag in MB"));
        Map<String, String> optional = new LinkedHashMap<>();
        optional.put("Pending restart", "pending_restart");
        optional.put("Scheduled restart", "scheduled_restart");
        optional.put("Tags", "tags");
        optional.forEach((column, field) -> {
            if (extended || withHost.stream().anyMatch(m -> truthy(m.get(field)))) {
                columns.add(column);
            }
        });
        Set<String> hosts = new HashSet<>();
        withHost.forEach(m -> hosts.add(m.get("host").asText()));
        boolean appendPort = withHost.stream().anyMatch(m -> m.has("port") && m.get("port").asInt() != 5432)
                || hosts.size() < withHost.size();

        List<List<JsonNode>> rows = new ArrayList<>();
        for (ObjectNode m : fmt.equals("topology") ? Topology.order(members) : members) {
            rows.add(row(scope, m, columns, appendPort));
        }
        String out = TableOutput.print(columns, rows, RIGHT, fmt, " Cluster: " + scope + " ");
        if (!fmt.equals("pretty") && !fmt.equals("topology")) {
            return out;
        }
        List<String> info = serviceInfo(view);
        return info.isEmpty() ? out : out + " " + String.join("\n ", info) + "\n";
    }

    private static List<JsonNode> row(String scope, ObjectNode m, List<String> columns, boolean appendPort) {
        List<JsonNode> row = new ArrayList<>();
        for (String c : columns) {
            row.add(switch (c) {
                case "Cluster" -> F.textNode(scope);
                case "Member" -> F.textNode(m.get("name").asText());
                case "Host" -> {
                    String host = m.path("host").asText("");
                    yield F.textNode(appendPort && !host.isEmpty() && m.has("port") ? host + ":" + m.get("port").asInt() : host);
                }
                case "Role" -> F.textNode(title(m.get("role").asText().replace('_', ' ')));
                case "State" -> m.get("state");
                case "TL" -> m.has("timeline") ? m.get("timeline") : F.textNode("");
                case "Lag in MB" -> {
                    JsonNode lag = m.get("lag");
                    yield lag == null ? F.textNode("") : lag.isIntegralNumber() ? F.numberNode((long) Math.rint(lag.asLong() / MIB)) : lag;
                }
                case "Pending restart" -> F.textNode(truthy(m.get("pending_restart")) ? "*" : "");
                case "Scheduled restart" -> F.textNode(scheduledRestart(m.get("scheduled_restart")));
                case "Tags" -> m.has("tags") ? m.get("tags") : F.textNode("");
                default -> F.textNode("");
            });
        }
        return row;
    }

    private static String scheduledRestart(JsonNode s) {
        if (s == null || !s.isObject()) {
            return "";
        }
        String value = s.path("schedule").asText("");
        return s.has("postgres_version") ? value + " if version < " + s.get("postgres_version").asText() : value;
    }

    static List<String> serviceInfo(JsonNode view) {
        List<String> info = new ArrayList<>();
        if (view.path("pause").asBoolean(false)) {
            info.add("Maintenance mode: on");
        }
        JsonNode s = view.get("scheduled_switchover");
        if (s != null) {
            StringBuilder b = new StringBuilder("Switchover scheduled at: " + s.get("at").asText());
            for (String k : List.of("from", "to")) {
                if (s.has(k)) {
                    b.append('\n').append(String.format("%24s: %s", k, s.get(k).asText()));
                }
            }
            info.add(b.toString());
        }
        return info;
    }

    /** Python's str.title() for role names such as "sync standby". */
    private static String title(String s) {
        StringBuilder b = new StringBuilder();
        boolean start = true;
        for (char ch : s.toCharArray()) {
            b.append(start ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
            start = !Character.isLetter(ch);
        }
        return b.toString();
    }

    static boolean truthy(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual()) {
            return !v.asText().isEmpty();
        }
        if (v.isNumber()) {
            return v.asDouble() != 0;
        }
        return !v.isEmpty();
    }
}
