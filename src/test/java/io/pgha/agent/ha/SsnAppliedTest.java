package io.pgha.agent.ha;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SsnAppliedTest {
    private static final long S = 1_000_000_000L;

    @ParameterizedTest(name = "{0} ms after the write, checkpointer waiting on {1}: {2}")
    @CsvSource(nullValues = "null", value = {
        "1000, CheckpointerMain, true",
        "5000, CheckpointerMain, true",
        "999, CheckpointerMain, false",   // the reload may not have reached it yet
        "0, CheckpointerMain, false",
        "5000, DataFileSync, false",      // inside a checkpoint: the reload waits for its end
        "5000, CheckpointWriteDelay, false",
        "5000, null, false"               // working without a wait, or not visible
    })
    void commitsCertainlyWaitOnlyOnceTheCheckpointerIdlesAfterTheReload(long millis, String waitEvent, boolean certain) {
        long written = 100 * S;
        assertThat(SsnApplied.certain(written, written + millis * 1_000_000L, waitEvent)).isEqualTo(certain);
    }
}
