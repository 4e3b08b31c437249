package io.pgha.cli;

import io.pgha.config.ConfigException;
import io.pgha.contract.Cluster;
import io.pgha.ctl.ClusterReader;
import io.pgha.ctl.ClusterTable;
import io.pgha.ctl.CtlConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `pgha ctl`: the administrator's CLI, reading the same patronictl-style configuration file. */
@Command(name = "ctl", mixinStandardHelpOptions = true, description = "Inspect and operate a cluster (patronictl's role).",
        subcommands = {CtlCommand.ListCommand.class})
public final class CtlCommand {

    @Option(names = {"-c", "--config-file"}, description = "patronictl-style configuration (scope, namespace, etcd3.hosts); "
            + "default $PATRONICTL_CONFIG_FILE or ~/.config/patroni/patronictl.yaml")
    Path configFile;

    CtlConfig config() {
        Path file = configFile;
        if (file == null && System.getenv("PATRONICTL_CONFIG_FILE") != null) {
            file = Path.of(System.getenv("PATRONICTL_CONFIG_FILE"));
        }
        if (file == null) {
            Path home = Path.of(System.getProperty("user.home"), ".config", "patroni", "patronictl.yaml");
            file = Files.exists(home) ? home : null;
        }
        return CtlConfig.load(file, System.getenv());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the members of a cluster.")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand
        CtlCommand parent;

        @Parameters(arity = "0..1", description = "cluster name (default: scope from the configuration)")
        String clusterName;

        @Option(names = {"-f", "--format"}, defaultValue = "pretty", description = "pretty or json")
        String format;

        @Override
        public Integer call() {
            try {
                CtlConfig cfg = parent.config();
                String scope = clusterName != null ? clusterName : cfg.scope();
                if (scope == null) {
                    System.err.println("pgha ctl: no cluster name: give one or set scope in the configuration");
                    return 1;
                }
                try (ClusterReader reader = new ClusterReader(cfg.etcdHosts())) {
                    Cluster c = reader.read(cfg.namespace(), scope);
                    System.out.print("json".equals(format) ? ClusterTable.json(c) + "\n" : ClusterTable.pretty(scope, c));
                }
                return 0;
            } catch (ConfigException e) {
                System.err.println("pgha ctl: " + e.getMessage());
                return 1;
            } catch (Exception e) {
                System.err.println("pgha ctl: cannot read the cluster from etcd: " + e);
                return 1;
            }
        }
    }
}
