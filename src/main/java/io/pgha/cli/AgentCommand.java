package io.pgha.cli;

import io.pgha.agent.AgentRunner;
import io.pgha.config.AgentSettings;
import io.pgha.config.AgentSettingsLoader;
import io.pgha.config.ConfigException;
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
            loader.notices().forEach(n -> System.err.println("pgha agent: note: " + n));
        } catch (ConfigException e) {
            System.err.println("pgha agent: " + e.getMessage());
            return 2;
        }
        return new AgentRunner(settings).run();
    }
}
