package io.pgha.chaos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The harness's verdicts, computed from what the writer and the probers saw and what the primary holds
 * afterwards. Pure: no I/O, no clock.
 */
public final class Checker {

    private Checker() {}

    /** Acknowledged keys that the primary no longer has, in ascending order. */
    public static <K extends Comparable<K>> List<K> missing(Collection<K> acknowledged, Set<K> present) {
        return acknowledged.stream().filter(k -> !present.contains(k)).sorted().distinct().toList();
    }

    /**
     * A stretch of time in which one member acknowledged writes: from its first to its last acknowledgement,
     * with no failed probe of that member and no gap longer than the limit in between.
     */
    public record AckRun(String member, long fromUs, long toUs, int acks) {}

    /** Two members acknowledged writes within the same stretch of time: [fromUs, toUs]. */
    public record Overlap(String first, String second, long fromUs, long toUs) {
        public long durationUs() {
            return toUs - fromUs;
        }
    }

    /**
     * Splits every member's acknowledgements (writer and probe alike) into runs. A run ends at a failed probe
     * of the member (an error arriving between two of its acknowledgements) or at a gap longer than
     * {@code maxGapUs} (the member was not seen acknowledging for a while, e.g. a commit blocked).
     */
    public static List<AckRun> ackRuns(List<Attempt> attempts, long maxGapUs) {
        Map<String, List<Attempt>> acks = new TreeMap<>();
        Map<String, List<Long>> failures = new TreeMap<>();
        for (Attempt a : attempts) {
            if (a.member() == null) {
                continue;
            }
            if (a.ok()) {
                acks.computeIfAbsent(a.member(), m -> new ArrayList<>()).add(a);
            } else if (a.source() == Attempt.Source.PROBE) {
                failures.computeIfAbsent(a.member(), m -> new ArrayList<>()).add(a.doneUs());
            }
        }
        List<AckRun> runs = new ArrayList<>();
        for (Map.Entry<String, List<Attempt>> e : acks.entrySet()) {
            List<Long> times = e.getValue().stream().map(Attempt::doneUs).sorted().toList();
            List<Long> failed = failures.getOrDefault(e.getKey(), List.of()).stream().sorted().toList();
            long from = times.get(0);
            long last = from;
            int count = 1;
            for (long t : times.subList(1, times.size())) {
                if (t - last > maxGapUs || failedBetween(failed, last, t)) {
                    runs.add(new AckRun(e.getKey(), from, last, count));
                    from = t;
                    count = 0;
                }
                last = t;
                count++;
            }
            runs.add(new AckRun(e.getKey(), from, last, count));
        }
        runs.sort(Comparator.comparingLong(AckRun::fromUs).thenComparing(AckRun::member));
        return runs;
    }

    private static boolean failedBetween(List<Long> sortedFailures, long afterUs, long beforeUs) {
        for (long f : sortedFailures) {
            if (f > afterUs && f < beforeUs) {
                return true;
            }
            if (f >= beforeUs) {
                return false;
            }
        }
        return false;
    }

    /**
     * Every pair of runs of different members that share a moment (a single acknowledgement inside another
     * member's run counts, with duration 0).
     */
    public static List<Overlap> overlaps(List<AckRun> runs) {
        List<Overlap> found = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                AckRun a = runs.get(i);
                AckRun b = runs.get(j);
                if (!a.member().equals(b.member()) && a.fromUs() <= b.toUs() && b.fromUs() <= a.toUs()) {
                    boolean aFirst = a.member().compareTo(b.member()) < 0;
                    found.add(new Overlap(aFirst ? a.member() : b.member(), aFirst ? b.member() : a.member(),
                            Math.max(a.fromUs(), b.fromUs()), Math.min(a.toUs(), b.toUs())));
                }
            }
        }
        found.sort(Comparator.comparingLong(Overlap::fromUs));
        return found;
    }

    /** The overlaps, cut to the window [fromUs, toUs]; those outside it are dropped. */
    public static List<Overlap> within(List<Overlap> overlaps, long fromUs, long toUs) {
        return overlaps.stream().filter(o -> o.toUs() >= fromUs && o.fromUs() <= toUs)
                .map(o -> new Overlap(o.first(), o.second(), Math.max(o.fromUs(), fromUs), Math.min(o.toUs(), toUs)))
                .toList();
    }

    /** A stretch without any acknowledged write of the writer. {@code toUs} is the acknowledgement that ended it. */
    public record Outage(long fromUs, long toUs, boolean ended) {
        public long durationUs() {
            return toUs - fromUs;
        }
    }

    /**
     * How writes through HAProxy fared after a fault.
     *
     * @param outages     gaps longer than the threshold between the fault (or an acknowledgement) and the next
     *                    acknowledgement; the last one has {@code ended == false} if no write was acknowledged
     *                    after it within the window
     * @param recoveredUs fault → the first acknowledgement after the last outage; 0 if there was no outage; null
     *                    if writes had not recovered by the end of the window
     */
    public record Recovery(List<Outage> outages, Long recoveredUs) {}

    /**
     * The outages of the writer in the window ({@code faultUs}, {@code windowEndUs}]: every gap longer than
     * {@code thresholdUs} between the fault and the first acknowledgement, or between two acknowledgements.
     */
    public static Recovery recovery(List<Attempt> attempts, long faultUs, long windowEndUs, long thresholdUs) {
        List<Long> acks = attempts.stream()
                .filter(a -> a.source() == Attempt.Source.WRITER && a.ok() && a.doneUs() > faultUs && a.doneUs() <= windowEndUs)
                .map(Attempt::doneUs).sorted().toList();
        List<Outage> outages = new ArrayList<>();
        long previous = faultUs;
        for (long t : acks) {
            if (t - previous > thresholdUs) {
                outages.add(new Outage(previous, t, true));
            }
            previous = t;
        }
        if (windowEndUs - previous > thresholdUs) {
            outages.add(new Outage(previous, windowEndUs, false));
            return new Recovery(outages, null);
        }
        return new Recovery(outages, outages.isEmpty() ? 0L : outages.get(outages.size() - 1).toUs() - faultUs);
    }

    /**
     * How close a change of writable member came to an overlap: from the old leader's last acknowledgement
     * before another member's first one after the fault, to that first one (writer and probes alike). Null
     * when no other member acknowledged a write in the window (no failover).
     */
    public static Long switchGapUs(List<Attempt> attempts, String oldLeader, long faultUs, long windowEndUs) {
        Long firstOther = attempts.stream()
                .filter(a -> a.ok() && a.member() != null && !a.member().equals(oldLeader) && a.doneUs() > faultUs
                        && a.doneUs() <= windowEndUs)
                .map(Attempt::doneUs).min(Long::compare).orElse(null);
        if (firstOther == null) {
            return null;
        }
        return attempts.stream().filter(a -> a.ok() && oldLeader.equals(a.member()) && a.doneUs() < firstOther)
                .map(Attempt::doneUs).max(Long::compare).map(last -> firstOther - last).orElse(null);
    }
}
