package io.pgha.cli;

import io.pgha.config.ConfigException;
import io.pgha.ctl.Console;
import io.pgha.ctl.CtlConfig;
import io.pgha.ctl.CtlException;
import io.pgha.ctl.CtlSession;
import io.pgha.ctl.EtcdGatewayStore;
import io.pgha.ctl.PatroniApi;
import io.pgha.ctl.RestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `pgha ctl`: patronictl 3.0.2's commands and options over the same configuration file and PATRONI_*
 * variables. This class only reads the environment and builds the session; the commands live in
 * {@link CtlReadCommands} and {@link CtlWriteCommands}, their logic in io.pgha.ctl.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true, description = "Inspect and operate a cluster (patronictl's role).",
        subcommands = {CtlReadCommands.ListCmd.class, CtlReadCommands.TopologyCmd.class, CtlReadCommands.HistoryCmd.class,
                CtlReadCommands.ShowConfigCmd.class, CtlReadCommands.VersionCmd.class, CtlReadCommands.DsnCmd.class,
                CtlWriteCommands.SwitchoverCmd.class, CtlWriteCommands.FailoverCmd.class, CtlWriteCommands.RestartCmd.class,
                CtlWriteCommands.ReinitCmd.class, CtlWriteCommands.ReloadCmd.class, CtlWriteCommands.PauseCmd.class,
                CtlWriteCommands.ResumeCmd.class, CtlWriteCommands.FlushCmd.class, CtlWriteCommands.EditConfigCmd.class,
                CtlWriteCommands.RemoveCmd.class})
public final class CtlCommand {

    @Option(names = {"-c", "--config-file"}, description = "patronictl-style configuration (scope, namespace, etcd3, restapi/ctl "
            + "credentials); default $PATRONICTL_CONFIG_FILE or ~/.config/patroni/patronictl.yaml")
    Path configFile;

    @Option(names = {"-d", "--dcs-url", "--dcs"}, description = "etcd3://host:port[,host:port] instead of the file's etcd3 hosts; default $DCS_URL")
    String dcsUrl;

    @Option(names = {"-k", "--insecure"}, description = "Allow connections to SSL sites without certs")
    boolean insecure;

    /** One command's body: gets the session, may throw CtlException for a one-line refusal. */
    interface Body {
        void run(CtlSession session, CtlConfig config) throws Exception;
    }

    /** Runs a command body with the session and turns every failure into one stderr line and exit code 1. */
    int execute(Body body) {
        try {
            CtlConfig cfg = config();
            try (EtcdGatewayStore store = new EtcdGatewayStore(cfg)) {
                Console console = new Console(System.in, System.out, System.err);
                CtlSession session = new CtlSession(store, new RestClient(cfg), console, ZoneId.systemDefault(), Duration.ofSeconds(2));
                body.run(session, cfg);
                return console.failed() ? 1 : 0;
            }
        } catch (CtlException | ConfigException | PatroniApi.Unreachable e) {
            // an unanswered prompt ends like click's: "Aborted!" alone
            System.err.println(e.getMessage().equals("Aborted!") ? e.getMessage() : "Error: " + e.getMessage());
            return e instanceof CtlException c ? c.exitCode() : 1;
        } catch (Exception e) {
            System.err.println("Error: " + e);
            return 1;
        }
    }

    CtlConfig config() {
        Path file = configFile;
        if (file == null && System.getenv("PATRONICTL_CONFIG_FILE") != null) {
            file = Path.of(System.getenv("PATRONICTL_CONFIG_FILE"));
        }
        if (file == null) {
            // like patronictl, a missing default file is fine: everything may come from PATRONI_* variables
            Path home = Path.of(System.getProperty("user.home"), ".config", "patroni", "patronictl.yaml");
            file = Files.isReadable(home) ? home : null;
        }
        CtlConfig cfg = CtlConfig.load(file, System.getenv()).withInsecure(insecure);
        String url = dcsUrl != null ? dcsUrl : System.getenv("DCS_URL");
        if (url != null && !url.isBlank()) {
            if (!url.startsWith("etcd3://")) {
                throw new CtlException("Unknown dcs scheme: " + url.replaceFirst("://.*", "") + " (pgha ctl speaks etcd3:// only)");
            }
            cfg = cfg.withEtcdHosts(List.of(url.substring("etcd3://".length()).split(",")));
        }
        return cfg;
    }

    /** The scope to act on: the argument, else the configuration's, else a refusal. */
    static String scope(String argument, CtlConfig cfg) {
        String scope = argument != null ? argument : cfg.scope();
        if (scope == null || scope.isEmpty()) {
            throw new CtlException("no cluster name: give one or set scope in the configuration");
        }
        return scope;
    }
}
