package io.pgha.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** pg_controldata output (PostgreSQL 15, abridged) as the agent reads it. */
class ControlDataTest {
    private static final String SHUT_DOWN = """
            pg_control version number:            1300
            Database system identifier:           7713067278627140479
            Database cluster state:               shut down
            Latest checkpoint location:           1/A0000028
            Latest checkpoint's REDO location:    1/A0000028
            Latest checkpoint's TimeLineID:       3
            wal_log_hints setting:                on
            Data page checksum version:           1
            """;

    @Test
    void aCleanlyStoppedPrimaryReportsItsShutdownCheckpoint() {
        ControlData cd = ControlData.parse(SHUT_DOWN);
        assertThat(cd.timeline()).isEqualTo(3);
        assertThat(cd.checkpointLocation()).isEqualTo((1L << 32) + 0xA0000028L);
        assertThat(cd.cleanShutdownCheckpoint()).isEqualTo(cd.checkpointLocation());
        assertThat(cd.primaryState()).isTrue();
    }

    @Test
    void aCrashedOrStandbyDataDirectoryHasNoCleanShutdownCheckpoint() {
        assertThat(ControlData.parse(SHUT_DOWN.replace("shut down", "in production")).cleanShutdownCheckpoint()).isZero();
        assertThat(ControlData.parse(SHUT_DOWN.replace("shut down", "shut down in recovery")).cleanShutdownCheckpoint()).isZero();
        assertThat(ControlData.parse(SHUT_DOWN.replace("1/A0000028\n", "garbage\n")).checkpointLocation()).isZero();
    }
}
