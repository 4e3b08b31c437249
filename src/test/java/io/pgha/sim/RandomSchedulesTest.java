package io.pgha.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 10,000 randomized schedules of a three-member cluster ({@link RandomSchedule}), each fixed by its seed: no
 * event of any of them may let two members acknowledge commits at once (invariant a), nor, in synchronous
 * mode, make a member primary without every acknowledged commit (b). A failure names the seed, the faults and
 * the last 200 events; {@code bench/sim/run.sh <seed> 1} replays it.
 *
 * <p>Liveness (c) is checked at the end of every schedule too, but not asserted here: about 1.5 % of the
 * schedules end with an open liveness finding of pgha (docs/simulation.md lists them, with seeds); the
 * hand-written schedules ({@link HoleSchedulesTest}) assert it. The {@link #OPEN_SAFETY_FINDINGS} are schedules
 * that break (a) or (b) for a reason not fixed yet, each described; the test checks that they still do, so the
 * list cannot outlive the fix.
 */
class RandomSchedulesTest {
    static final int SCHEDULES = 10_000;

    /** Seeds that still break a safety invariant, and why (docs/simulation.md, "Open findings"). */
    static final Map<Long, String> OPEN_SAFETY_FINDINGS = Map.of(
            2891L, "(a) START_PRIMARY arms the fence before pg_ctl start: the watchdog gets no pid, and an agent frozen"
                    + " before the next fence tick leaves the new primary unguarded",
            3408L, "(a) not analysed yet",
            5475L, "(a) not analysed yet",
            9157L, "(b) not analysed yet");

    @Test
    void tenThousandRandomSchedulesKeepBothSafetyInvariants() {
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())); // the agents' own log lines
        List<String> broken = new ArrayList<>();
        List<Long> stillOpen = new ArrayList<>();
        long t0 = System.nanoTime();
        long events = 0;
        int unhealed = 0;
        try {
            for (long seed = 1; seed <= SCHEDULES; seed++) {
                RandomSchedule.Result r = RandomSchedule.run(seed);
                events += r.events();
                unhealed += r.liveness() != null ? 1 : 0;
                if (r.violation() != null && OPEN_SAFETY_FINDINGS.containsKey(seed)) {
                    stillOpen.add(seed);
                } else if (r.violation() != null) {
                    broken.add(r.report());
                }
            }
        } finally {
            System.setErr(err);
        }
        System.out.printf("simulation: %d schedules, %d events, %d without liveness (open findings), %.1f s%n", SCHEDULES, events,
                unhealed, (System.nanoTime() - t0) / 1e9);
        assertThat(broken).as("schedules that broke a safety invariant").isEmpty();
        assertThat(stillOpen).as("open findings that no longer break an invariant: remove them from the list")
                .containsExactlyInAnyOrderElementsOf(OPEN_SAFETY_FINDINGS.keySet());
    }
}
