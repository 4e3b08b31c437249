package io.pgha.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Renders member statuses as a table in the style of {@code patronictl list}:
 * Member | Host | Role | State | TL | Lag in MB. Pure.
 */
public final class StatusTable {

    private static final String[] HEADER = {"Member", "Host", "Role", "State", "TL", "Lag in MB"};
    private static final double MIB = 1024.0 * 1024.0;

    public String render(String scope, List<MemberStatus> members) {
        Optional<Long> leaderLocation = members.stream().filter(MemberStatus::leader).map(MemberStatus::location)
                .filter(java.util.Objects::nonNull).findFirst();
        List<String[]> rows = new ArrayList<>();
        for (MemberStatus m : members) {
            rows.add(new String[] {m.name(), m.host(), role(m), m.state(),
                    m.timeline() == null ? "" : m.timeline().toString(), lag(m, leaderLocation)});
        }
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            width[i] = HEADER[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        String rule = rule(width);
        StringBuilder out = new StringBuilder();
        String title = "+ Cluster: " + scope + " ";
        out.append(title.length() < rule.length() ? title + rule.substring(title.length()) : title).append('\n');
        out.append(row(HEADER, width, false)).append('\n').append(rule).append('\n');
        for (String[] r : rows) {
            out.append(row(r, width, true)).append('\n');
        }
        return out.append(rule).append('\n').toString();
    }

    static String role(MemberStatus m) {
        if (!m.reachable()) {
            return "";
        }
        return m.leader() ? "Leader" : "Replica";
    }

    /** Lag of a replica behind the leader in MB, rounded; empty for the leader, "unknown" without positions. */
    static String lag(MemberStatus m, Optional<Long> leaderLocation) {
        if (m.leader() || !m.reachable()) {
            return "";
        }
        if (m.location() == null || leaderLocation.isEmpty()) {
            return "unknown";
        }
        long bytes = Math.max(0, leaderLocation.get() - m.location());
        return Long.toString(Math.round(bytes / MIB));
    }

    private static String rule(int[] width) {
        StringBuilder b = new StringBuilder("+");
        for (int w : width) {
            b.append("-".repeat(w + 2)).append('+');
        }
        return b.toString();
    }

    /** Text columns left-aligned; TL and lag right-aligned, as patronictl does. */
    private static String row(String[] cells, int[] width, boolean alignNumbers) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            boolean right = alignNumbers && i >= 4;
            String cell = right ? pad(cells[i], width[i], true) : pad(cells[i], width[i], false);
            b.append(' ').append(cell).append(" |");
        }
        return b.toString();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
