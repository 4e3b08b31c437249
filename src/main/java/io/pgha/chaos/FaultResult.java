package io.pgha.chaos;

import java.util.List;

/**
 * What one fault did, as one JSON line of the results. Times are epoch milliseconds (with fractions), durations
 * milliseconds.
 *
 * @param lostWrites     writer rows acknowledged at any time in the run that the primary no longer had when this
 *                       fault's check ran, and still had at the previous check
 * @param lostProbes     the same for the probers' rows ({@code member:seq})
 * @param overlaps       stretches in which two members acknowledged writes, between the fault and the end of
 *                       its window
 * @param recoveryMs     fault → the writer's first acknowledgement after the last outage of the window (0: no
 *                       outage; null: writes had not recovered)
 * @param rejoinMs       end of the fault (restart, heal, SIGCONT) → every member running and streaming from the
 *                       leader; null when that did not happen within the bound
 * @param switchGapMs    the old leader's last acknowledged write → another member's first one after the fault:
 *                       how close the change of writable member came to an overlap; null without a change
 */
public record FaultResult(String run, int index, String kind, String victim, String leaderBefore, String leaderAfter,
                          double faultAtMs, double faultEndAtMs, Double healthyAtMs, double windowEndMs,
                          Double recoveryMs, List<OutageJson> outages,
                          int lostWrites, List<Long> lostWriteIds, int lostProbes, List<String> lostProbeKeys,
                          int overlapCount, double overlapMs, List<OverlapJson> overlaps,
                          Double rejoinMs, boolean rejoined, Double switchGapMs, String notes) {

    public record OutageJson(double fromMs, double toMs, double ms, boolean ended) {
        static OutageJson of(Checker.Outage o) {
            return new OutageJson(o.fromUs() / 1000.0, o.toUs() / 1000.0, o.durationUs() / 1000.0, o.ended());
        }
    }

    public record OverlapJson(String first, String second, double fromMs, double toMs, double ms) {
        static OverlapJson of(Checker.Overlap o) {
            return new OverlapJson(o.first(), o.second(), o.fromUs() / 1000.0, o.toUs() / 1000.0, o.durationUs() / 1000.0);
        }
    }

    public int lostAcked() {
        return lostWrites + lostProbes;
    }
}
