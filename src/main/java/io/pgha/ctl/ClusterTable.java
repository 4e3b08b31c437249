package io.pgha.ctl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.contract.Cluster;
import io.pgha.contract.Member;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Renders a cluster the way `patronictl list` does (patroni-compat.md §1.6). Pure. */
public final class ClusterTable {
    private static final long MIB = 1024 * 1024;
    private static final String[] HEADER = {"Member", "Host", "Role", "State", "TL", "Lag in MB"};

    /** One row as patronictl computes it. */
    public record Row(String member, String host, String role, String state, String timeline, String lag) {}

    private ClusterTable() {}

    public static List<Row> rows(Cluster c) {
        List<Row> rows = new ArrayList<>();
        for (String name : c.memberNames()) {
            Member m = c.members().get(name);
            boolean leader = c.hasLeader(name);
            String role = leader ? "Leader" : isSyncStandby(c, name) ? "Sync Standby" : "Replica";
            String lag = "";
            if (!leader) {
                long x = m.xlogLocation();
                lag = x < 0 ? "unknown" : Long.toString(Math.round(Math.max(0, c.optime() - x) / (double) MIB));
            }
            rows.add(new Row(name, host(m), role, m.state() == null ? "" : m.state(),
                    m.timeline() > 0 ? Integer.toString(m.timeline()) : "", lag));
        }
        return rows;
    }

    private static boolean isSyncStandby(Cluster c, String name) {
        return c.sync() != null && c.sync().hasNonNull("sync_standby")
                && List.of(c.sync().get("sync_standby").asText().split(",")).contains(name);
    }

    private static String host(Member m) {
        if (m.connUrl() == null) {
            return "";
        }
        URI u = URI.create(m.connUrl());
        return u.getHost() + (u.getPort() > 0 && u.getPort() != 5432 ? ":" + u.getPort() : "");
    }

    public static String pretty(String scope, Cluster c) {
        List<Row> rows = rows(c);
        int[] w = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            w[i] = HEADER[i].length();
        }
        for (Row r : rows) {
            String[] f = fields(r);
            for (int i = 0; i < f.length; i++) {
                w[i] = Math.max(w[i], f[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        String sep = separator(w);
        String title = "+ Cluster: " + scope + " ";
        b.append(title).append(sep.substring(Math.min(sep.length(), title.length()))).append('\n');
        b.append(line(HEADER, w)).append('\n').append(sep).append('\n');
        for (Row r : rows) {
            b.append(line(fields(r), w)).append('\n');
        }
        b.append(sep).append('\n');
        if (c.paused()) {
            b.append(" Maintenance mode: on\n");
        }
        return b.toString();
    }

    public static String json(Cluster c) {
        ObjectMapper om = new ObjectMapper();
        ArrayNode arr = om.createArrayNode();
        for (Row r : rows(c)) {
            ObjectNode n = arr.addObject();
            n.put("Member", r.member()).put("Host", r.host()).put("Role", r.role()).put("State", r.state());
            if (!r.timeline().isEmpty()) {
                n.put("TL", Integer.parseInt(r.timeline()));
            }
            if (r.lag().matches("\\d+")) {
                n.put("Lag in MB", Long.parseLong(r.lag()));
            } else if (!r.lag().isEmpty()) {
                n.put("Lag in MB", r.lag());
            }
        }
        return arr.toString();
    }

    private static String[] fields(Row r) {
        return new String[] {r.member(), r.host(), r.role(), r.state(), r.timeline(), r.lag()};
    }

    private static String separator(int[] w) {
        StringBuilder b = new StringBuilder("+");
        for (int x : w) {
            b.append("-".repeat(x + 2)).append('+');
        }
        return b.toString();
    }

    private static String line(String[] f, int[] w) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < f.length; i++) {
            boolean numeric = i >= 4;
            String cell = numeric ? " ".repeat(w[i] - f[i].length()) + f[i] : f[i] + " ".repeat(w[i] - f[i].length());
            b.append(' ').append(cell).append(" |");
        }
        return b.toString();
    }
}
