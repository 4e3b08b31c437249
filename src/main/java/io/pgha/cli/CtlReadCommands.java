package io.pgha.cli;

import io.pgha.contract.AgentInfo;
import io.pgha.ctl.CtlException;
import io.pgha.ctl.Dsn;
import io.pgha.ctl.EditConfig;
import io.pgha.ctl.HistoryTable;
import io.pgha.ctl.ListCommand;
import io.pgha.ctl.VersionReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The ctl commands that only read: list, topology, history, show-config, version. Wiring only. */
final class CtlReadCommands {
    private CtlReadCommands() {}

    /** -W and -w N as patronictl: -W alone means every 2 seconds. */
    static double watchSeconds(boolean w, Double watch) {
        return watch != null ? watch : w ? 2 : 0;
    }

    static void refuseGroup(Integer group) {
        if (group != null) {
            throw new CtlException("Citus groups are not supported by pgha ctl");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the members of a cluster.")
    static final class ListCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(arity = "0..*", paramLabel = "CLUSTER_NAME", description = "cluster names (default: scope from the configuration)")
        List<String> clusters = new ArrayList<>();
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = {"-e", "--extended"}, description = "Show some extra information") boolean extended;
        @Option(names = {"-t", "--timestamp"}, description = "Print timestamp") boolean timestamp;
        @Option(names = {"-f", "--format"}, defaultValue = "pretty", description = "Output format (pretty, tsv, json, yaml)") String format;
        @Option(names = "-W", description = "Auto update the screen every 2 seconds") boolean w;
        @Option(names = {"-w", "--watch"}, description = "Auto update the screen every X seconds") Double watch;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                refuseGroup(group);
                List<String> scopes = clusters.isEmpty() ? List.of(CtlCommand.scope(null, cfg)) : clusters;
                new ListCommand(s).run(scopes, extended, timestamp, format, watchSeconds(w, watch), System.console() != null);
            });
        }
    }

    @Command(name = "topology", mixinStandardHelpOptions = true, description = "Print the members as a replication tree.")
    static final class TopologyCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(arity = "0..*", paramLabel = "CLUSTER_NAME") List<String> clusters = new ArrayList<>();
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = "-W", description = "Auto update the screen every 2 seconds") boolean w;
        @Option(names = {"-w", "--watch"}, description = "Auto update the screen every X seconds") Double watch;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                refuseGroup(group);
                List<String> scopes = clusters.isEmpty() ? List.of(CtlCommand.scope(null, cfg)) : clusters;
                new ListCommand(s).run(scopes, false, false, "topology", watchSeconds(w, watch), System.console() != null);
            });
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Show the history of failovers and switchovers.")
    static final class HistoryCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(arity = "0..1", paramLabel = "CLUSTER_NAME") String cluster;
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = {"-f", "--format"}, defaultValue = "pretty", description = "Output format (pretty, tsv, json, yaml)") String format;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                refuseGroup(group);
                s.console().print(HistoryTable.render(s.store().read(CtlCommand.scope(cluster, cfg)), format));
            });
        }
    }

    @Command(name = "show-config", mixinStandardHelpOptions = true, description = "Show the cluster's dynamic configuration.")
    static final class ShowConfigCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(arity = "0..1", paramLabel = "CLUSTER_NAME") String cluster;
        @Option(names = "--group", hidden = true) Integer group;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                refuseGroup(group);
                String scope = CtlCommand.scope(cluster, cfg);
                s.console().print(EditConfig.show(s.store().read(scope), scope));
            });
        }
    }

    @Command(name = "dsn", mixinStandardHelpOptions = true, description = "Print host and port of the leader (or of a member with a role, or of a member).")
    static final class DsnCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(arity = "0..1", paramLabel = "CLUSTER_NAME") String cluster;
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = {"-r", "--role"}, description = "Give a dsn of any member with this role") String role;
        @Option(names = {"-m", "--member"}, description = "Generate a dsn for this member") String member;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                refuseGroup(group);
                s.console().println(Dsn.of(s.store().read(CtlCommand.scope(cluster, cfg)), role == null ? null : CtlWriteCommands.role(role), member));
            });
        }
    }

    @Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version of pgha ctl and of each member's agent.")
    static final class VersionCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(index = "0", arity = "0..1", paramLabel = "CLUSTER_NAME") String cluster;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "MEMBER_NAME") List<String> members = new ArrayList<>();
        @Option(names = "--group", hidden = true) Integer group;

        @Override
        public Integer call() {
            if (cluster == null) {
                System.out.println("pgha ctl version " + AgentInfo.pghaVersion());
                return 0; // needs no configuration and no etcd
            }
            return parent.execute((s, cfg) -> {
                refuseGroup(group);
                new VersionReport(s).run(AgentInfo.pghaVersion(), cluster, members);
            });
        }
    }
}
