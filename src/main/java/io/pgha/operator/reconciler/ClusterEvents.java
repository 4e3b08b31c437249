package io.pgha.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgha.api.v1.Phase;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.api.v1.PostgresClusterStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events for what a user wants to see in `kubectl describe pgc`: a refused spec, a primary that
 * changed (failover or switchover), scaling. Derived from the status transition, so an unchanged cluster
 * emits nothing and a repeated reconciliation does not repeat an event.
 */
final class ClusterEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);

    record Notice(String type, String reason, String message) {}

    private ClusterEvents() {}

    static List<Notice> between(PostgresClusterStatus previous, PostgresClusterStatus next) {
        List<Notice> out = new ArrayList<>();
        PostgresClusterStatus prev = previous == null ? new PostgresClusterStatus() : previous;
        if (next.phase == Phase.Invalid && (prev.phase != Phase.Invalid || !Objects.equals(prev.message, next.message))) {
            out.add(new Notice("Warning", "InvalidSpec", next.message));
        }
        if (prev.primary != null && next.primary != null && !prev.primary.equals(next.primary)) {
            out.add(new Notice("Warning", "PrimaryChanged", "the primary moved from " + prev.primary + " to "
                    + next.primary + (next.timeline == null ? "" : " (timeline " + next.timeline + ")")));
        }
        if (prev.primary == null && next.primary != null && prev.phase == Phase.Creating) {
            out.add(new Notice("Normal", "Bootstrapped", next.primary + " is the first primary"));
        }
        if (prev.instances != null && next.instances != null && !prev.instances.equals(next.instances)) {
            out.add(new Notice("Normal", "Scaled", "members: " + prev.instances + " -> " + next.instances));
        }
        return out;
    }

    /** Best effort: an event that cannot be recorded must not fail the reconciliation. */
    static void publish(KubernetesClient client, PostgresCluster pc, List<Notice> notices, Instant now) {
        for (Notice n : notices) {
            try {
                client.v1().events().inNamespace(pc.getMetadata().getNamespace()).resource(new EventBuilder()
                        .withNewMetadata().withGenerateName(pc.getMetadata().getName() + "-")
                        .withNamespace(pc.getMetadata().getNamespace()).endMetadata()
                        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(pc.getApiVersion())
                                .withKind(pc.getKind()).withName(pc.getMetadata().getName())
                                .withNamespace(pc.getMetadata().getNamespace()).withUid(pc.getMetadata().getUid()).build())
                        .withType(n.type()).withReason(n.reason()).withMessage(n.message())
                        .withFirstTimestamp(now.toString()).withLastTimestamp(now.toString()).withCount(1)
                        .withNewSource().withComponent("pgha-operator").endSource()
                        .build()).create();
            } catch (RuntimeException e) {
                LOG.warn("{}/{}: could not record event {}: {}", pc.getMetadata().getNamespace(),
                        pc.getMetadata().getName(), n.reason(), e.toString());
            }
        }
    }
}
