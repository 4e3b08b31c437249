package io.pgha.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The agent labelling its own pod, against fabric8's Kubernetes API stand-in (CRUD mode, plain HTTP). */
@EnableKubernetesMockClient(crud = true, https = false)
class PodLabelerTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private PodLabeler labeler(String pod) {
        client.pods().inNamespace("db").resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace("db")
                .addToLabels("app.kubernetes.io/name", "pgha").endMetadata().build()).create();
        String base = server.url("/").replaceAll("/$", "");
        return new PodLabeler(new PodIdentity(base, "db", pod, null, null), "[t/" + pod + "] ");
    }

    @Test
    void labelsTheRoleAndAnnotatesTheStatusWithoutTouchingOtherLabels() throws Exception {
        try (PodLabeler l = labeler("demo-0")) {
            l.publish("primary", "{\"role\":\"master\",\"timeline\":2}");
            assertThat(l.awaitApplied(Duration.ofSeconds(10))).isTrue();
            Pod p = client.pods().inNamespace("db").withName("demo-0").get();
            assertThat(p.getMetadata().getLabels()).containsEntry("pgha.io/role", "primary")
                    .containsEntry("app.kubernetes.io/name", "pgha");
            assertThat(p.getMetadata().getAnnotations()).containsEntry("pgha.io/status", "{\"role\":\"master\",\"timeline\":2}");
        }
    }

    @Test
    void aRoleChangeReplacesTheLabel() throws Exception {
        try (PodLabeler l = labeler("demo-1")) {
            l.publish("primary", "{}");
            l.publish("replica", "{\"role\":\"replica\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> "replica".equals(
                    client.pods().inNamespace("db").withName("demo-1").get().getMetadata().getLabels().get("pgha.io/role")));
        }
    }

    @Test
    void aMissingPodIsRetriedUntilItExists() throws Exception {
        String base = server.url("/").replaceAll("/$", "");
        try (PodLabeler l = new PodLabeler(new PodIdentity(base, "db", "late-0", null, null), "[t/late-0] ")) {
            l.publish("replica", "{}");
            assertThat(l.awaitApplied(Duration.ofMillis(300))).isFalse();
            client.pods().inNamespace("db").resource(new PodBuilder().withNewMetadata().withName("late-0").withNamespace("db")
                    .endMetadata().build()).create();
            assertThat(l.awaitApplied(Duration.ofSeconds(10))).isTrue();
            assertThat(client.pods().inNamespace("db").withName("late-0").get().getMetadata().getLabels())
                    .containsEntry("pgha.io/role", "replica");
        }
    }
}
