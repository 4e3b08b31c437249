package io.pgha.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.pgha.operator.HealthServer;
import io.pgha.operator.OperatorRunner;
import io.pgha.operator.reconciler.HttpAgentClient;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Run the Kubernetes operator that converges PostgresCluster resources.")
public final class OperatorCommand implements Callable<Integer> {

    @Option(names = "--namespaces", split = ",", description = "Namespaces to watch (default: all; env WATCH_NAMESPACES)")
    String[] namespaces;

    @Option(names = "--health-port", defaultValue = "8080", description = "Port of /healthz, /readyz and /metrics")
    int healthPort;

    @Option(names = "--leader-election-namespace",
            description = "Namespace of the leader-election Lease (default: env POD_NAMESPACE; none: no election)")
    String leaseNamespace;

    @Option(names = "--no-server-side-apply", description = "Write with create/replace (API servers without SSA)")
    boolean noServerSideApply;

    @Override
    public Integer call() throws Exception {
        Set<String> watched = namespaces != null ? Set.of(namespaces) : fromEnv(System.getenv("WATCH_NAMESPACES"));
        String lease = leaseNamespace != null ? leaseNamespace : System.getenv("POD_NAMESPACE");
        KubernetesClient client = new KubernetesClientBuilder().build();
        OperatorRunner runner = new OperatorRunner(client,
                new OperatorRunner.Options(watched, !noServerSideApply, lease), new HttpAgentClient());
        Operator operator = runner.start();
        try (HealthServer health = new HealthServer(healthPort, operator, runner.metrics())) {
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                operator.stop();
                stopped.countDown();
            }));
            stopped.await();
        }
        return 0;
    }

    private static Set<String> fromEnv(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
