package io.pgha.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.operator.reconciler.AgentClient.MemberReport;
import io.pgha.operator.reconciler.RollingUpdatePlanner.DeletePod;
import io.pgha.operator.reconciler.RollingUpdatePlanner.Done;
import io.pgha.operator.reconciler.RollingUpdatePlanner.PodView;
import io.pgha.operator.reconciler.RollingUpdatePlanner.Switchover;
import io.pgha.operator.reconciler.RollingUpdatePlanner.Wait;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per row of the rolling update: standbys first, then a switchover, then the old primary. */
class RollingUpdatePlannerTest {
    private static final long MAX_LAG = 1_048_576;

    private static PodView pod(int ordinal, boolean current) {
        return new PodView("demo-" + ordinal, ordinal, current, true);
    }

    private static MemberReport primary(int ordinal) {
        return new MemberReport("demo-" + ordinal, "primary", "running", 2L, null, false);
    }

    private static MemberReport standby(int ordinal, long lag) {
        return new MemberReport("demo-" + ordinal, "replica", "streaming", 2L, lag, false);
    }

    private static final List<MemberReport> HEALTHY = List.of(primary(0), standby(1, 0), standby(2, 0));

    @Test
    void everythingCurrentIsDone() {
        assertThat(RollingUpdatePlanner.next(List.of(pod(0, true), pod(1, true), pod(2, true)), HEALTHY, MAX_LAG)).isInstanceOf(Done.class);
    }

    @Test
    void outdatedStandbysGoFirstHighestOrdinalFirst() {
        assertThat(RollingUpdatePlanner.next(List.of(pod(0, false), pod(1, false), pod(2, false)), HEALTHY, MAX_LAG))
                .isEqualTo(new DeletePod("demo-2", "standby runs an old template"));
    }

    @Test
    void nothingMovesWhileAPodIsNotReady() {
        List<PodView> pods = List.of(pod(0, false), pod(1, false), new PodView("demo-2", 2, true, false));
        assertThat(RollingUpdatePlanner.next(pods, HEALTHY, MAX_LAG)).isInstanceOf(Wait.class);
    }

    @Test
    void nothingMovesWhileARecreatedStandbyIsNotStreamingYet() {
        List<MemberReport> members = List.of(primary(0), standby(1, 0), new MemberReport("demo-2", "replica", "starting", null, null, false));
        assertThat(RollingUpdatePlanner.next(List.of(pod(0, false), pod(1, false), pod(2, true)), members, MAX_LAG))
                .isInstanceOf(Wait.class);
    }

    @Test
    void withOnlyThePrimaryOutdatedItSwitchesOverToTheLeastLaggingCurrentStandby() {
        List<MemberReport> members = List.of(primary(0), standby(1, 4096), standby(2, 0));
        assertThat(RollingUpdatePlanner.next(List.of(pod(0, false), pod(1, true), pod(2, true)), members, MAX_LAG))
                .isEqualTo(new Switchover("demo-0", "demo-2"));
    }

    @Test
    void afterTheSwitchoverTheOldPrimaryIsJustAnOutdatedStandby() {
        List<MemberReport> members = List.of(standby(0, 0), standby(1, 0), primary(2));
        assertThat(RollingUpdatePlanner.next(List.of(pod(0, false), pod(1, true), pod(2, true)), members, MAX_LAG))
                .isEqualTo(new DeletePod("demo-0", "standby runs an old template"));
    }

    @Test
    void noSwitchoverToAStandbyThatLagsTooFar() {
        List<MemberReport> members = List.of(primary(0), standby(1, 10 * MAX_LAG), standby(2, 5 * MAX_LAG));
        assertThat(RollingUpdatePlanner.next(List.of(pod(0, false), pod(1, true), pod(2, true)), members, MAX_LAG))
                .isInstanceOf(Wait.class);
    }

    @Test
    void withoutAPrimaryOrWithoutAgentsNothingMoves() {
        List<PodView> pods = List.of(pod(0, false), pod(1, true));
        assertThat(RollingUpdatePlanner.next(pods, List.of(standby(0, 0), standby(1, 0)), MAX_LAG)).isInstanceOf(Wait.class);
        assertThat(RollingUpdatePlanner.next(pods, List.of(), MAX_LAG)).isInstanceOf(Wait.class);
    }

    @Test
    void aSingleMemberIsRestartedInPlace() {
        assertThat(RollingUpdatePlanner.next(List.of(pod(0, false)), List.of(primary(0)), MAX_LAG)).isInstanceOf(DeletePod.class);
    }
}
