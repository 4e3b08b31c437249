package io.pgha.operator;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.pgha.api.v1.Phase;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.operator.reconciler.AgentClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Not part of the default test run (the name matches no surefire pattern). Run with
 * {@code mvn -B -o test -Dtest=OperatorScaleBenchmark -Dpgha.bench.clusters=200}: creates N PostgresClusters
 * on the mock API server, runs the operator, and reports the time until every cluster is Running and the
 * heap in use afterwards. Stand-ins: a loop plays the StatefulSet controller (all pods ready), a fake
 * AgentClient reports a primary and streaming standbys for every cluster.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorScaleBenchmark {

    static KubernetesClient client;

    static {
        MockServerLogs.quiet();
    }

    /** Every cluster's agents report member 0 as primary and the others streaming. */
    static final AgentClient HEALTHY = new AgentClient() {
        @Override
        public Optional<List<MemberReport>> cluster(String host, int port) {
            String pod = host.substring(0, host.indexOf('.'));
            String cluster = pod.substring(0, pod.lastIndexOf('-'));
            List<MemberReport> r = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                r.add(new MemberReport(cluster + "-" + i, i == 0 ? "primary" : "replica",
                        i == 0 ? "running" : "streaming", 1L, 0L, false));
            }
            return Optional.of(r);
        }

        @Override
        public boolean switchover(String host, int port, io.pgha.config.Credentials login, String leader, String candidate) {
            return true;
        }
    };

    @Test
    void reconcileManyClusters() throws Exception {
        int n = Integer.getInteger("pgha.bench.clusters", 200);
        client.resource(Serialization.unmarshal(getClass().getClassLoader()
                .getResourceAsStream("META-INF/fabric8/postgresclusters.pgha.io-v1.yml"), CustomResourceDefinition.class))
                .create();
        for (int i = 0; i < n; i++) {
            client.resource(Serialization.unmarshal("apiVersion: pgha.io/v1\nkind: PostgresCluster\nmetadata: {name: c"
                    + i + ", namespace: bench}\nspec: {instances: 3}\n", PostgresCluster.class)).create();
        }
        ScheduledExecutorService controllerStandIn = Executors.newSingleThreadScheduledExecutor();
        controllerStandIn.scheduleWithFixedDelay(OperatorScaleBenchmark::markPodsReady, 200, 200, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        Operator operator = new OperatorRunner(client, new OperatorRunner.Options(Set.of("bench"), false, null), HEALTHY)
                .start();
        try {
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> client
                    .resources(PostgresCluster.class).inNamespace("bench").list().getItems().stream()
                    .filter(pc -> pc.getStatus() != null && pc.getStatus().phase == Phase.Running).count() == n);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("BENCH clusters=%d converged_seconds=%.1f heap_after_gc_mib=%.1f%n", n, seconds,
                    heap / 1048576.0);
        } finally {
            controllerStandIn.shutdownNow();
            operator.stop();
        }
    }

    /** Plays the StatefulSet controller: every member StatefulSet has all its pods ready. */
    private static void markPodsReady() {
        try {
            for (StatefulSet sts : client.apps().statefulSets().inNamespace("bench").list().getItems()) {
                int want = sts.getSpec().getReplicas();
                if (sts.getStatus() == null || sts.getStatus().getReadyReplicas() == null
                        || sts.getStatus().getReadyReplicas() != want) {
                    sts.setStatus(new StatefulSetStatusBuilder().withReplicas(want).withReadyReplicas(want)
                            .withUpdatedReplicas(want).withCurrentRevision("r1").withUpdateRevision("r1").build());
                    client.resource(sts).updateStatus();
                }
            }
        } catch (RuntimeException e) {
            // a conflicting write: the next round retries
        }
    }
}
