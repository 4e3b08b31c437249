package io.pgha.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgha.api.v1.Phase;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.api.v1.PostgresClusterStatus;
import io.pgha.operator.model.ClusterModel;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

    static final ClusterModel MODEL = ClusterModel.from(Serialization.unmarshal("""
            apiVersion: pgha.io/v1
            kind: PostgresCluster
            metadata: {name: shop, namespace: prod, generation: 7}
            spec: {instances: 3}
            """, PostgresCluster.class));
    static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T2 = Instant.parse("2026-01-01T00:05:00Z");

    static ClusterFacts facts(int ready, int primaryOrdinal) {
        FakeAgents a = new FakeAgents();
        if (primaryOrdinal >= 0) {
            a.healthy("shop", 3, primaryOrdinal);
        }
        return new ClusterFacts(3, ready, 3, true, a.cluster);
    }

    @Test
    void allReadyWithAPrimaryIsRunning() {
        PostgresClusterStatus s = StatusAggregator.observed(MODEL, facts(3, 1), null, Optional.empty(), T1);
        assertThat(s.phase).isEqualTo(Phase.Running);
        assertThat(s.primary).isEqualTo("shop-1");
        assertThat(s.observedGeneration).isEqualTo(7);
        assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(s, "Degraded").getStatus()).isEqualTo("False");
    }

    @Test
    void aMissingMemberDegradesAndALostPrimaryIsUnavailable() {
        PostgresClusterStatus running = StatusAggregator.observed(MODEL, facts(3, 0), null, Optional.empty(), T1);
        PostgresClusterStatus degraded = StatusAggregator.observed(MODEL, facts(2, 0), running, Optional.empty(), T2);
        assertThat(degraded.phase).isEqualTo(Phase.Degraded);
        assertThat(degraded.message).isEqualTo("2 of 3 members are ready");
        assertThat(condition(degraded, "Available").getStatus()).isEqualTo("True");

        PostgresClusterStatus lost = StatusAggregator.observed(MODEL, facts(2, -1), degraded, Optional.empty(), T2);
        assertThat(lost.phase).isEqualTo(Phase.Unavailable);
        assertThat(condition(lost, "Available").getStatus()).isEqualTo("False");
        assertThat(condition(lost, "Degraded").getReason()).isEqualTo("NoPrimary");
    }

    @Test
    void conditionsKeepTheirTransitionTimeWhileUnchanged() {
        PostgresClusterStatus first = StatusAggregator.observed(MODEL, facts(3, 0), null, Optional.empty(), T1);
        PostgresClusterStatus again = StatusAggregator.observed(MODEL, facts(3, 0), first, Optional.empty(), T2);
        assertThat(again).isEqualTo(first);

        PostgresClusterStatus degraded = StatusAggregator.observed(MODEL, facts(2, 0), first, Optional.empty(), T2);
        assertThat(condition(degraded, "Ready").getLastTransitionTime()).isEqualTo(T2.toString());
        assertThat(condition(degraded, "Available").getLastTransitionTime()).as("still True since T1")
                .isEqualTo(T1.toString());
    }

    @Test
    void aWaitingStepShowsAsProgressing() {
        PostgresClusterStatus s = StatusAggregator.observed(MODEL, facts(3, 0), null,
                Optional.of("switching over from shop-4 to shop-0 before scaling down"), T1);
        assertThat(s.phase).isEqualTo(Phase.Updating);
        assertThat(condition(s, "Progressing").getStatus()).isEqualTo("True");
        assertThat(condition(s, "Progressing").getMessage()).contains("switching over");
    }

    @Test
    void eventsFollowTransitionsOnly() {
        PostgresClusterStatus a = StatusAggregator.observed(MODEL, facts(3, 0), null, Optional.empty(), T1);
        PostgresClusterStatus b = StatusAggregator.observed(MODEL, facts(3, 2), a, Optional.empty(), T2);
        assertThat(ClusterEvents.between(a, a)).isEmpty();
        assertThat(ClusterEvents.between(a, b)).singleElement()
                .satisfies(n -> assertThat(n.message()).isEqualTo("the primary moved from shop-0 to shop-2 (timeline 2)"));
        PostgresClusterStatus invalid = StatusAggregator.invalid(b, 8, "InvalidSpec", List.of("spec.ha: bad"), T2);
        assertThat(ClusterEvents.between(b, invalid)).extracting(ClusterEvents.Notice::reason).containsExactly("InvalidSpec");
        assertThat(ClusterEvents.between(invalid, invalid)).isEmpty();
        assertThat(invalid.primary).as("an invalid spec keeps the last facts").isEqualTo("shop-2");
    }

    static Condition condition(PostgresClusterStatus s, String type) {
        return s.conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
