package io.pgha.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single entry point of pgha.jar: one subcommand per role. */
@Command(name = "pgha", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Highly available PostgreSQL: HA agent, local cluster runner, CLI and Kubernetes operator.",
        subcommands = {AgentCommand.class, LocalCommand.class, CtlCommand.class, OperatorCommand.class, ChaosCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pgha " + (v == null ? "dev" : v)};
        }
    }
}
