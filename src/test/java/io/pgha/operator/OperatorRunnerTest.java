package io.pgha.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.pgha.api.v1.Phase;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.operator.reconciler.AgentClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole operator (JOSDK, informers, status patches) against the mock API server, server-side apply off. */
@EnableKubernetesMockClient(crud = true)
class OperatorRunnerTest {

    static KubernetesClient client;

    static {
        MockServerLogs.quiet();
    }
    Operator operator;

    /** No agent answers: the cluster stays in Creating, which is what a fresh cluster shows. */
    static final AgentClient SILENT_AGENTS = new AgentClient() {
        @Override
        public Optional<List<MemberReport>> cluster(String host, int port) {
            return Optional.empty();
        }

        @Override
        public boolean switchover(String host, int port, io.pgha.config.Credentials login, String leader, String candidate) {
            return false;
        }
    };

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.stop();
        }
    }

    @Test
    void aNewClusterGetsItsMembersAndAStatusAndTheHealthEndpointsAnswer() throws Exception {
        client.resource(Serialization.unmarshal(getClass().getClassLoader()
                .getResourceAsStream("META-INF/fabric8/postgresclusters.pgha.io-v1.yml"), CustomResourceDefinition.class))
                .create();
        OperatorRunner runner = new OperatorRunner(client, new OperatorRunner.Options(Set.of("e2e"), false, null),
                SILENT_AGENTS);
        operator = runner.start();

        client.resource(Serialization.unmarshal("""
                apiVersion: pgha.io/v1
                kind: PostgresCluster
                metadata: {name: orders, namespace: e2e}
                spec: {instances: 2}
                """, PostgresCluster.class)).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            StatefulSet sts = client.apps().statefulSets().inNamespace("e2e").withName("orders").get();
            assertThat(sts).isNotNull();
            assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
            PostgresCluster pc = client.resources(PostgresCluster.class).inNamespace("e2e").withName("orders").get();
            assertThat(pc.getStatus()).isNotNull();
            assertThat(pc.getStatus().phase).isEqualTo(Phase.Creating);
        });

        try (HealthServer health = new HealthServer(0, operator, runner.metrics())) {
            HttpClient http = HttpClient.newHttpClient();
            assertThat(get(http, health, "/healthz").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> get(http, health, "/readyz").statusCode() == 200);
            assertThat(get(http, health, "/metrics").body()).contains("pgha_operator_clusters{phase=\"Creating\"} 1")
                    .containsPattern("pgha_operator_reconciliations_total [1-9]");
        }
    }

    private static HttpResponse<String> get(HttpClient http, HealthServer health, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
