package io.pgha.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.chaos.Attempt.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CheckerTest {

    private static final long MS = 1000;
    private static final long GAP = 1000 * MS;

    /** An acknowledgement by {@code member} arriving at {@code atMs} (sent 2 ms earlier). */
    static Attempt ack(Source source, String member, long atMs) {
        return Attempt.ack(source, member, atMs, (atMs - 2) * MS, atMs * MS, 5432);
    }

    static Attempt probeAck(String member, long atMs) {
        return ack(Source.PROBE, member, atMs);
    }

    static Attempt writerAck(String member, long atMs) {
        return ack(Source.WRITER, member, atMs);
    }

    static Attempt probeFailed(String member, long atMs) {
        return Attempt.failure(Source.PROBE, member, atMs, (atMs - 2) * MS, atMs * MS, "25006 read-only");
    }

    static Attempt writerFailed(long atMs) {
        return Attempt.failure(Source.WRITER, null, atMs, (atMs - 2) * MS, atMs * MS, "08006 connection refused");
    }

    /** Acknowledgements by {@code member} every {@code stepMs} from {@code fromMs} to {@code toMs} inclusive. */
    static List<Attempt> acks(Source source, String member, long fromMs, long toMs, long stepMs) {
        List<Attempt> out = new ArrayList<>();
        for (long t = fromMs; t <= toMs; t += stepMs) {
            out.add(ack(source, member, t));
        }
        return out;
    }

    @SafeVarargs
    static List<Attempt> all(List<Attempt>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    static Stream<Arguments> overlapCases() {
        return Stream.of(
                Arguments.of("a clean failover: m1 stops, m2 starts 5 s later",
                        all(acks(Source.PROBE, "m1", 0, 10_000, 200), acks(Source.PROBE, "m2", 15_000, 20_000, 200)),
                        List.of()),
                Arguments.of("both acknowledge from 15 s to 18 s (a split brain)",
                        all(acks(Source.PROBE, "m1", 0, 18_000, 200), acks(Source.PROBE, "m2", 15_000, 20_000, 200)),
                        List.of(new Checker.Overlap("m1", "m2", 15_000 * MS, 18_000 * MS))),
                Arguments.of("one late acknowledgement by the old primary inside the new one's run counts, with length 0",
                        all(acks(Source.PROBE, "m1", 0, 10_000, 200), List.of(probeAck("m1", 16_000)),
                                acks(Source.PROBE, "m2", 15_000, 20_000, 200)),
                        List.of(new Checker.Overlap("m1", "m2", 16_000 * MS, 16_000 * MS))),
                Arguments.of("writer acknowledgements count like probes: the writer saw m1 while m2's prober wrote",
                        all(acks(Source.PROBE, "m2", 15_000, 20_000, 200), acks(Source.WRITER, "m1", 14_000, 15_500, 25)),
                        List.of(new Checker.Overlap("m1", "m2", 15_000 * MS, 15_500 * MS))),
                Arguments.of("a failed probe of m1 ends its run: acknowledgements before and after it are separate runs",
                        all(acks(Source.PROBE, "m1", 0, 10_000, 200), List.of(probeFailed("m1", 10_100)),
                                acks(Source.PROBE, "m1", 20_000, 22_000, 200), acks(Source.PROBE, "m2", 12_000, 19_000, 200)),
                        List.of()),
                Arguments.of("a gap longer than the limit ends a run, even without a failure in between",
                        all(acks(Source.PROBE, "m1", 0, 10_000, 200), acks(Source.PROBE, "m1", 20_000, 22_000, 200),
                                acks(Source.PROBE, "m2", 12_000, 19_000, 200)),
                        List.of()),
                Arguments.of("failures of the writer (which names no member) do not split anyone's run",
                        all(acks(Source.PROBE, "m1", 0, 10_000, 200), List.of(writerFailed(5_000))),
                        List.of()),
                Arguments.of("the same member on both sides of a crash is no overlap",
                        all(acks(Source.PROBE, "m1", 0, 10_000, 200), List.of(probeFailed("m1", 10_200)),
                                acks(Source.PROBE, "m1", 11_000, 15_000, 200), acks(Source.WRITER, "m1", 0, 15_000, 25)),
                        List.of()),
                Arguments.of("three members, two overlaps",
                        all(acks(Source.PROBE, "m1", 0, 10_000, 200), acks(Source.PROBE, "m2", 9_000, 12_000, 200),
                                acks(Source.PROBE, "m3", 11_800, 14_000, 200)),
                        List.of(new Checker.Overlap("m1", "m2", 9_000 * MS, 10_000 * MS),
                                new Checker.Overlap("m2", "m3", 11_800 * MS, 12_000 * MS))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlapCases")
    void overlaps(String name, List<Attempt> attempts, List<Checker.Overlap> expected) {
        assertThat(Checker.overlaps(Checker.ackRuns(attempts, GAP))).containsExactlyElementsOf(expected);
    }

    @Test
    void a_run_spans_from_first_to_last_acknowledgement_and_counts_them() {
        List<Checker.AckRun> runs = Checker.ackRuns(all(acks(Source.PROBE, "m1", 1_000, 2_000, 200),
                List.of(probeFailed("m1", 2_100)), acks(Source.WRITER, "m1", 3_000, 3_050, 25)), GAP);

        assertThat(runs).containsExactly(new Checker.AckRun("m1", 1_000 * MS, 2_000 * MS, 6),
                new Checker.AckRun("m1", 3_000 * MS, 3_050 * MS, 3));
    }

    @Test
    void overlaps_are_cut_to_a_window_and_dropped_outside_it() {
        List<Checker.Overlap> o = List.of(new Checker.Overlap("m1", "m2", 10, 20), new Checker.Overlap("m1", "m3", 30, 40));

        assertThat(Checker.within(o, 15, 35)).containsExactly(new Checker.Overlap("m1", "m2", 15, 20),
                new Checker.Overlap("m1", "m3", 30, 35));
        assertThat(Checker.within(o, 21, 29)).isEmpty();
    }

    static Stream<Arguments> recoveryCases() {
        long threshold = 500 * MS;
        return Stream.of(
                Arguments.of("failover: acks stop at the fault and resume 6 s later",
                        all(acks(Source.WRITER, "m1", 0, 10_000, 25), acks(Source.WRITER, "m2", 16_000, 30_000, 25)),
                        10_000, 30_000, threshold, 6_000L, 1),
                Arguments.of("no outage at all: recovery 0",
                        acks(Source.WRITER, "m1", 0, 30_000, 25), 10_000, 30_000, threshold, 0L, 0),
                Arguments.of("a 400 ms stall stays below the threshold",
                        all(acks(Source.WRITER, "m1", 0, 10_000, 25), acks(Source.WRITER, "m1", 10_400, 30_000, 25)),
                        10_000, 30_000, threshold, 0L, 0),
                Arguments.of("the old primary keeps acknowledging 3 s, then 4 s without writes: recovery at 7 s",
                        all(acks(Source.WRITER, "m1", 0, 13_000, 25), acks(Source.WRITER, "m2", 17_000, 30_000, 25)),
                        10_000, 30_000, threshold, 7_000L, 1),
                Arguments.of("two outages: recovery is the end of the last",
                        all(acks(Source.WRITER, "m1", 0, 10_000, 25), acks(Source.WRITER, "m2", 12_000, 20_000, 25),
                                acks(Source.WRITER, "m2", 21_000, 30_000, 25)),
                        10_000, 30_000, threshold, 11_000L, 2),
                Arguments.of("writes never come back: not recovered",
                        all(acks(Source.WRITER, "m1", 0, 10_000, 25), List.of(writerFailed(12_000))),
                        10_000, 30_000, threshold, null, 1),
                Arguments.of("probe acknowledgements do not count as recovered writes",
                        all(acks(Source.WRITER, "m1", 0, 10_000, 25), acks(Source.PROBE, "m2", 11_000, 30_000, 200),
                                acks(Source.WRITER, "m2", 14_000, 30_000, 25)),
                        10_000, 30_000, threshold, 4_000L, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recoveryCases")
    void recovery(String name, List<Attempt> attempts, long faultMs, long windowEndMs, long thresholdUs, Long recoveredMs,
                  int outages) {
        Checker.Recovery r = Checker.recovery(attempts, faultMs * MS, windowEndMs * MS, thresholdUs);

        assertThat(r.recoveredUs()).isEqualTo(recoveredMs == null ? null : recoveredMs * MS);
        assertThat(r.outages()).hasSize(outages);
    }

    @Test
    void an_unrecovered_outage_is_open_at_the_end_of_the_window() {
        Checker.Recovery r = Checker.recovery(acks(Source.WRITER, "m1", 0, 10_000, 25), 10_000 * MS, 30_000 * MS, 500 * MS);

        assertThat(r.outages()).containsExactly(new Checker.Outage(10_000 * MS, 30_000 * MS, false));
    }

    @Test
    void the_switch_gap_runs_from_the_old_leaders_last_acknowledgement_to_the_first_of_another_member() {
        List<Attempt> failover = all(acks(Source.PROBE, "m1", 0, 10_000, 200), acks(Source.WRITER, "m1", 0, 10_050, 25),
                acks(Source.PROBE, "m2", 16_000, 20_000, 200));

        assertThat(Checker.switchGapUs(failover, "m1", 9_000 * MS, 20_000 * MS)).isEqualTo(5_950 * MS);
        assertThat(Checker.switchGapUs(acks(Source.WRITER, "m1", 0, 20_000, 25), "m1", 9_000 * MS, 20_000 * MS)).isNull();
    }

    @Test
    void missing_lists_acknowledged_keys_the_primary_lacks_in_order_once() {
        assertThat(Checker.missing(List.of(5L, 1L, 3L, 3L, 7L), Set.of(1L, 7L))).containsExactly(3L, 5L);
        assertThat(Checker.missing(List.of("m1:2", "m2:1"), Set.of("m1:2", "m2:1"))).isEmpty();
    }
}
