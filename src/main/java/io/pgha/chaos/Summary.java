package io.pgha.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The per-fault-kind table of a run's results. Pure. */
public final class Summary {

    /**
     * One row: how many faults of the kind ran, acknowledged commits lost (writer rows + probe rows), overlapping
     * writable members (count and total), the closest change of writable member (the smallest switch gap),
     * write recovery (median and max, over the faults that recovered), and faults after which writes or
     * members did not come back within the bounds.
     */
    public record Row(String kind, int faults, int lostWrites, int lostProbes, int overlaps, double overlapMs,
                      Double recoveryMedianMs, Double recoveryMaxMs, int unrecovered, Double rejoinMedianMs,
                      int rejoinFailures, Double switchGapMinMs) {
        public int lostAcked() {
            return lostWrites + lostProbes;
        }
    }

    private Summary() {}

    /** Rows in the order kinds first appear. */
    public static List<Row> rows(List<FaultResult> results) {
        Map<String, List<FaultResult>> byKind = new LinkedHashMap<>();
        results.forEach(r -> byKind.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r));
        List<Row> rows = new ArrayList<>();
        byKind.forEach((kind, rs) -> {
            List<Double> recovery = rs.stream().map(FaultResult::recoveryMs).filter(v -> v != null).sorted().toList();
            List<Double> rejoin = rs.stream().map(FaultResult::rejoinMs).filter(v -> v != null).sorted().toList();
            rows.add(new Row(kind, rs.size(),
                    rs.stream().mapToInt(FaultResult::lostWrites).sum(),
                    rs.stream().mapToInt(FaultResult::lostProbes).sum(),
                    rs.stream().mapToInt(FaultResult::overlapCount).sum(),
                    rs.stream().mapToDouble(FaultResult::overlapMs).sum(),
                    median(recovery), recovery.isEmpty() ? null : recovery.get(recovery.size() - 1),
                    (int) rs.stream().filter(r -> r.recoveryMs() == null).count(),
                    median(rejoin),
                    (int) rs.stream().filter(r -> !r.rejoined()).count(),
                    rs.stream().map(FaultResult::switchGapMs).filter(v -> v != null).min(Double::compare).orElse(null)));
        });
        return rows;
    }

    static Double median(List<Double> sorted) {
        if (sorted.isEmpty()) {
            return null;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A Markdown table, seconds with two decimals. */
    public static String markdown(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| fault | n | lost acked commits (writer + probe) | overlapping writable members: count / total s "
                + "| closest switch s | write recovery s: median / max | not recovered | rejoin s: median | rejoin failures |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %d (%d + %d) | %d / %s | %s | %s / %s | %d | %s | %d |%n",
                    r.kind(), r.faults(), r.lostAcked(), r.lostWrites(), r.lostProbes(), r.overlaps(),
                    seconds(r.overlapMs()), seconds(r.switchGapMinMs()), seconds(r.recoveryMedianMs()),
                    seconds(r.recoveryMaxMs()), r.unrecovered(), seconds(r.rejoinMedianMs()), r.rejoinFailures()));
        }
        return out.toString();
    }

    private static String seconds(Double ms) {
        return ms == null ? "–" : String.format(Locale.ROOT, "%.2f", ms / 1000.0);
    }

    /** True when nothing acknowledged was lost, no two members overlapped, writes recovered and every member rejoined. */
    public static boolean clean(List<Row> rows) {
        return rows.stream().allMatch(r -> r.lostAcked() == 0 && r.overlaps() == 0 && r.unrecovered() == 0
                && r.rejoinFailures() == 0);
    }
}
