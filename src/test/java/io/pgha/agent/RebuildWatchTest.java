package io.pgha.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** After a reinitialize, the rebuild lasts until PostgreSQL runs on the new data directory or its start failed. */
class RebuildWatchTest {
    private final RebuildWatch watch = new RebuildWatch();

    @Test
    void nothingGoesOnBeforeAWipe() {
        assertThat(watch.inProgress(true, false, false)).isFalse();
    }

    @Test
    void theEmptyDirectoryTheCloneAndTheStartingPostmasterAllCount() {
        watch.wiped();
        assertThat(watch.inProgress(true, false, false)).as("wiped, not cloned yet").isTrue();
        assertThat(watch.inProgress(false, false, false)).as("cloned, postmaster starting").isTrue();
        assertThat(watch.inProgress(false, true, false)).as("running again").isFalse();
        assertThat(watch.inProgress(true, false, false)).as("over for good").isFalse();
    }

    @Test
    void aFailedStartEndsItSoThatTheOperatorMayTryAgain() {
        watch.wiped();
        assertThat(watch.inProgress(false, false, true)).isFalse();
    }

    @Test
    void aFailureSeenWhileTheDirectoryIsStillEmptyDoesNotEndIt() {
        watch.wiped();
        assertThat(watch.inProgress(true, false, true)).isTrue(); // the failure of the old server, not of the clone
    }
}
