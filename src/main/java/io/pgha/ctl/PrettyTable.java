package io.pgha.ctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The boxed table patronictl prints (Python's prettytable, left-aligned except the named columns, with
 * the title written into the top border). Cells may hold several lines; then every row gets its own rule,
 * as prettytable does once any cell is multi-line.
 */
public final class PrettyTable {
    private PrettyTable() {}

    public static String render(String title, List<String> columns, List<List<String>> rows, Set<String> rightAligned) {
        int n = columns.size();
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            width[i] = columns.get(i).length();
        }
        boolean multiLine = false;
        for (List<String> r : rows) {
            for (int i = 0; i < n; i++) {
                for (String line : r.get(i).split("\n", -1)) {
                    width[i] = Math.max(width[i], line.length());
                }
                multiLine |= r.get(i).contains("\n");
            }
        }
        String rule = rule(width);
        StringBuilder b = new StringBuilder();
        b.append(withTitle(rule, title)).append('\n');
        b.append(line(columns, width, columns, rightAligned)).append('\n');
        b.append(rule).append('\n');
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            List<String[]> cells = row.stream().map(c -> c.split("\n", -1)).toList();
            int height = cells.stream().mapToInt(c -> c.length).max().orElse(1);
            for (int h = 0; h < height; h++) {
                List<String> parts = new ArrayList<>();
                for (String[] c : cells) {
                    parts.add(h < c.length ? c[h] : "");
                }
                b.append(line(parts, width, columns, rightAligned)).append('\n');
            }
            if (multiLine && r < rows.size() - 1) {
                b.append(rule).append('\n');
            }
        }
        b.append(rule).append('\n');
        return b.toString();
    }

    private static String withTitle(String rule, String title) {
        if (title == null || title.isEmpty()) {
            return rule;
        }
        String t = title.substring(0, Math.min(title.length(), rule.length() - 2));
        return rule.charAt(0) + t + rule.substring(1 + t.length());
    }

    private static String rule(int[] width) {
        StringBuilder b = new StringBuilder("+");
        for (int w : width) {
            b.append("-".repeat(w + 2)).append('+');
        }
        return b.toString();
    }

    private static String line(List<String> cells, int[] width, List<String> columns, Set<String> rightAligned) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            b.append(' ').append(rightAligned.contains(columns.get(i)) ? pad + c : c + pad).append(" |");
        }
        return b.toString();
    }
}
