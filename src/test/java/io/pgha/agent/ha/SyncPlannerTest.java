package io.pgha.agent.ha;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.agent.ha.SyncPlanner.Step.Kind;
import io.pgha.contract.Member;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The leader's synchronous-replication steps, one test per situation; "me" is m1. */
class SyncPlannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SyncPlanner.Settings ONE = new SyncPlanner.Settings("m1", 1, false, -1, "on");
    private static final SyncPlanner.Settings ONE_STRICT = new SyncPlanner.Settings("m1", 1, true, -1, "on");
    private static final SyncPlanner.Settings TWO = new SyncPlanner.Settings("m1", 2, false, -1, "on");

    private static Map<String, Member> members(String... specs) {
        Map<String, Member> out = new HashMap<>();
        for (String spec : specs) {
            String[] p = spec.split(":");
            String tags = p.length > 1 ? ",\"tags\":{\"" + p[1] + "\":true}" : "";
            try {
                out.put(p[0], new Member(p[0], JSON.readTree("{\"state\":\"running\",\"role\":\"replica\"" + tags + "}"), 1));
            } catch (Exception e) {
                throw new IllegalArgumentException(spec, e);
            }
        }
        return out;
    }

    private static ReplicationRow row(String name, String syncState, long flush) {
        return new ReplicationRow("replicator", name, "127.0.0.1", "streaming", syncState, 0, flush, flush, flush);
    }

    private static SyncPlanner.Step plan(SyncPlanner.Settings s, List<ReplicationRow> rows, Map<String, Member> members,
                                         Set<String> key, String ssn, Map<String, Long> caughtUp) {
        return SyncPlanner.plan(new SyncPlanner.Input(s, rows, members, key, SyncPlanner.names(ssn), ssn, caughtUp));
    }

    @Test
    void firstStandbyIsNamedInSsnBeforeTheKey() {
        SyncPlanner.Step step = plan(ONE, List.of(row("m2", "async", 100)), members("m1", "m2"), Set.of(), "", Map.of());
        assertThat(step.kind()).isEqualTo(Kind.SET_SSN);
        assertThat(step.ssn()).isEqualTo("\"m2\"");
    }

    @Test
    void standbyEntersTheKeyOnceSyncAndCaughtUp() {
        SyncPlanner.Step step = plan(ONE, List.of(row("m2", "sync", 500)), members("m1", "m2"), Set.of(), "\"m2\"", Map.of("m2", 500L));
        assertThat(step.kind()).isEqualTo(Kind.WRITE_KEY);
        assertThat(step.standbys()).containsExactly("m2");
    }

    @Test
    void syncStandbyStillBehindWhatWasAcknowledgedBeforeStaysOutOfTheKey() {
        SyncPlanner.Step step = plan(ONE, List.of(row("m2", "sync", 400)), members("m1", "m2"), Set.of(), "\"m2\"", Map.of("m2", 500L));
        assertThat(step.kind()).isEqualTo(Kind.NONE);
        assertThat(step.standbys()).isEmpty();
    }

    @Test
    void standbyNotYetReportedSyncStaysOutOfTheKey() {
        SyncPlanner.Step step = plan(ONE, List.of(row("m2", "async", 900)), members("m1", "m2"), Set.of(), "\"m2\"", Map.of());
        assertThat(step.kind()).isEqualTo(Kind.NONE);
    }

    @Test
    void standbyThatStoppedStreamingLeavesTheKeyBeforeSsn() {
        SyncPlanner.Step step = plan(ONE, List.of(row("m3", "async", 900)), members("m1", "m2", "m3"), Set.of("m2"), "\"m2\"", Map.of());
        assertThat(step.kind()).isEqualTo(Kind.WRITE_KEY);
        assertThat(step.standbys()).isEmpty();
    }

    @Test
    void standbysOfAPrimaryThatJustRestartedKeepTheirPlaceWhileTheyReconnect() {
        SyncPlanner.Step step = SyncPlanner.plan(new SyncPlanner.Input(ONE, List.of(), members("m1", "m2", "m3"), Set.of("m2"),
                Set.of("m2"), "\"m2\"", Map.of(), true));
        assertThat(step.kind()).isEqualTo(Kind.NONE);
        assertThat(step.standbys()).containsExactly("m2");
    }

    @Test
    void afterTheKeyShrankSsnMovesToTheNextStandby() {
        SyncPlanner.Step step = plan(ONE, List.of(row("m3", "async", 900)), members("m1", "m2", "m3"), Set.of(), "\"m2\"", Map.of());
        assertThat(step.kind()).isEqualTo(Kind.SET_SSN);
        assertThat(step.ssn()).isEqualTo("\"m3\"");
    }

    @Test
    void nonStrictWithNoStandbyRunsWithEmptySsn() {
        SyncPlanner.Step step = plan(ONE, List.of(), members("m1", "m2"), Set.of(), "\"m2\"", Map.of());
        assertThat(step.kind()).isEqualTo(Kind.SET_SSN);
        assertThat(step.ssn()).isEmpty();
    }

    @Test
    void strictWithNoStandbyWaitsForAnyStandby() {
        SyncPlanner.Step step = plan(ONE_STRICT, List.of(), members("m1", "m2"), Set.of(), "\"m2\"", Map.of());
        assertThat(step.kind()).isEqualTo(Kind.SET_SSN);
        assertThat(step.ssn()).isEqualTo("*");
    }

    @Test
    void aStandbySyncUnderStarIsNamedBeforeItCanEnterTheKey() {
        SyncPlanner.Step step = plan(ONE_STRICT, List.of(row("m2", "sync", 100)), members("m1", "m2"), Set.of(), "*", Map.of("m2", 100L));
        assertThat(step.kind()).isEqualTo(Kind.SET_SSN);
        assertThat(step.ssn()).isEqualTo("\"m2\"");
    }

    @Test
    void nosyncMemberIsNeverChosen() {
        SyncPlanner.Step step = plan(ONE, List.of(row("m2", "async", 900)), members("m1", "m2:nosync"), Set.of(), "", Map.of());
        assertThat(step.kind()).isEqualTo(Kind.NONE);
    }

    @Test
    void nofailoverMemberIsChosenOnlyAfterTheOthers() {
        SyncPlanner.Step step = plan(ONE, List.of(row("m2", "async", 900), row("m3", "async", 100)),
                members("m1", "m2:nofailover", "m3"), Set.of(), "", Map.of());
        assertThat(step.ssn()).isEqualTo("\"m3\"");
    }

    @Test
    void currentSyncStandbyKeepsItsPlaceOverAMoreAdvancedOne() {
        SyncPlanner.Step step = plan(ONE, List.of(row("m2", "sync", 100), row("m3", "async", 900)),
                members("m1", "m2", "m3"), Set.of("m2"), "\"m2\"", Map.of("m2", 50L));
        assertThat(step.kind()).isEqualTo(Kind.NONE);
        assertThat(step.standbys()).containsExactly("m2");
    }

    @Test
    void memberUnknownToTheDcsIsNotChosen() {
        SyncPlanner.Step step = plan(ONE, List.of(row("pg_basebackup", "async", 900)), members("m1"), Set.of(), "", Map.of());
        assertThat(step.kind()).isEqualTo(Kind.NONE);
    }

    @Test
    void twoStandbysUsePriorityListSyntax() {
        SyncPlanner.Step step = plan(TWO, List.of(row("m2", "async", 900), row("m3", "async", 800)), members("m1", "m2", "m3"),
                Set.of(), "", Map.of());
        assertThat(step.ssn()).isEqualTo("2 (\"m2\",\"m3\")");
        assertThat(SyncPlanner.names(step.ssn())).containsExactly("m2", "m3");
    }

    @Test
    void standbyTooFarBehindTheBestIsSkippedWithMaximumLagOnSyncnode() {
        SyncPlanner.Settings s = new SyncPlanner.Settings("m1", 2, false, 1000, "on");
        SyncPlanner.Step step = plan(s, List.of(row("m2", "async", 90_000), row("m3", "async", 100)), members("m1", "m2", "m3"),
                Set.of(), "", Map.of());
        assertThat(step.ssn()).isEqualTo("\"m2\"");
    }

    @Test
    void remoteApplyCountsTheReplayPosition() {
        ReplicationRow r = new ReplicationRow("replicator", "m2", "127.0.0.1", "streaming", "sync", 1, 300, 200, 100);
        assertThat(SyncPlanner.lsn(r, "remote_apply")).isEqualTo(100);
        assertThat(SyncPlanner.lsn(r, "remote_write")).isEqualTo(300);
        assertThat(SyncPlanner.lsn(r, "on")).isEqualTo(200);
    }

    @Test
    void ssnNamesAreReadBackFromEveryForm() {
        assertThat(SyncPlanner.names("")).isEmpty();
        assertThat(SyncPlanner.names("*")).isEmpty();
        assertThat(SyncPlanner.names("\"m2\"")).containsExactly("m2");
        assertThat(SyncPlanner.names("2 (\"a\",\"b\")")).containsExactly("a", "b");
    }
}
