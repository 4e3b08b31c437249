package io.pgha.cli;

import io.pgha.agent.AgentRunner;
import io.pgha.agent.kube.PodIdentity;
import io.pgha.config.AgentDirectories;
import io.pgha.config.AgentSettings;
import io.pgha.config.AgentSettingsLoader;
import io.pgha.config.ConfigException;
import io.pgha.contract.PodContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the HA agent beside one PostgreSQL instance (replaces the `patroni` program).")
public final class AgentCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "Patroni-format YAML configuration file")
    Path config;

    @Override
    public Integer call() throws Exception {
        AgentSettings settings;
        AgentSettingsLoader loader = new AgentSettingsLoader(System.getenv());
        try {
            settings = loader.load(config);
            AgentDirectories.check(settings);
            loader.notices().forEach(n -> System.err.println("pgha agent: note: " + n));
        } catch (ConfigException e) {
            System.err.println("pgha agent: " + e.getMessage());
            return 2;
        }
        return new AgentRunner(settings, podIdentity(settings.name())).run();
    }

    /** In a Kubernetes pod (the API's address in the environment, as kubelet sets it): where the pod is. */
    private static PodIdentity podIdentity(String memberName) {
        String host = System.getenv("KUBERNETES_SERVICE_HOST");
        String namespace = System.getenv(PodContract.ENV_POD_NAMESPACE);
        if (host == null || namespace == null) {
            return null;
        }
        String port = System.getenv().getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        String apiHost = host.contains(":") ? "[" + host + "]" : host;
        Path sa = PodIdentity.SERVICE_ACCOUNT;
        return new PodIdentity("https://" + apiHost + ":" + port, namespace, memberName, sa.resolve("token"),
                Files.exists(sa.resolve("ca.crt")) ? sa.resolve("ca.crt") : null);
    }
}
