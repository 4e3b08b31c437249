package io.pgha.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Kubernetes-style conditions that do not flap: a condition whose status is unchanged keeps its
 * lastTransitionTime, so an unchanged cluster produces an identical status and no status write.
 */
final class Conditions {

    static final String READY = "Ready";
    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";
    static final String DEGRADED = "Degraded";

    private final List<Condition> previous;
    private final List<Condition> next = new ArrayList<>();
    private final long generation;
    private final Instant now;

    Conditions(List<Condition> previous, long generation, Instant now) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.now = now;
    }

    Conditions set(String type, boolean status, String reason, String message) {
        String s = status ? "True" : "False";
        String since = previous.stream().filter(c -> type.equals(c.getType()) && s.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime).filter(Objects::nonNull).findFirst()
                .orElse(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        next.add(new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(since).build());
        return this;
    }

    List<Condition> list() {
        return List.copyOf(next);
    }
}
