package io.pgha.cli;

import io.pgha.ctl.CtlException;
import io.pgha.ctl.EditConfig;
import io.pgha.ctl.ExternalEditor;
import io.pgha.ctl.Flush;
import io.pgha.ctl.MemberSelection;
import io.pgha.ctl.Pause;
import io.pgha.ctl.Reinit;
import io.pgha.ctl.Reload;
import io.pgha.ctl.Remove;
import io.pgha.ctl.Restart;
import io.pgha.ctl.Switchover;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The ctl commands that change the cluster (through members' REST APIs, or the DCS for edit-config). Wiring only. */
final class CtlWriteCommands {
    private CtlWriteCommands() {}

    static String role(String role) {
        if (!MemberSelection.ROLES.contains(role)) {
            throw new CtlException("Invalid value for '--role' / '-r': '" + role + "' is not one of " + String.join(", ", MemberSelection.ROLES));
        }
        return role;
    }

    @Command(name = "switchover", mixinStandardHelpOptions = true, description = "Switch over to a replica.")
    static final class SwitchoverCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(arity = "0..1", paramLabel = "CLUSTER_NAME") String cluster;
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = {"--leader", "--primary", "--master"}, description = "The name of the current leader") String leader;
        @Option(names = "--candidate", description = "The name of the candidate") String candidate;
        @Option(names = "--scheduled", description = "Timestamp of a scheduled switchover in unambiguous format (e.g. ISO 8601)") String scheduled;
        @Option(names = "--force", description = "Do not ask for confirmation at any point") boolean force;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                CtlReadCommands.refuseGroup(group);
                new Switchover(s).run(new Switchover.Request(CtlCommand.scope(cluster, cfg), false, leader, candidate, scheduled, force));
            });
        }
    }

    @Command(name = "failover", mixinStandardHelpOptions = true, description = "Fail over to a replica.")
    static final class FailoverCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(arity = "0..1", paramLabel = "CLUSTER_NAME") String cluster;
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = {"--leader", "--primary", "--master"}, description = "The name of the current leader (makes it a switchover)") String leader;
        @Option(names = "--candidate", description = "The name of the candidate") String candidate;
        @Option(names = "--force", description = "Do not ask for confirmation at any point") boolean force;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                CtlReadCommands.refuseGroup(group);
                new Switchover(s).run(new Switchover.Request(CtlCommand.scope(cluster, cfg), true, leader, candidate, null, force));
            });
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Restart cluster members.")
    static final class RestartCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(index = "0", paramLabel = "CLUSTER_NAME") String cluster;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "MEMBER_NAME") List<String> members = new ArrayList<>();
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = {"-r", "--role"}, defaultValue = "any", description = "Restart only members with this role") String role;
        @Option(names = "--any", description = "Restart a single member only") boolean any;
        @Option(names = "--scheduled", description = "Timestamp of a scheduled restart in unambiguous format (e.g. ISO 8601)") String scheduled;
        @Option(names = "--pg-version", description = "Restart if the PostgreSQL version is less than provided (e.g. 9.5.2)") String pgVersion;
        @Option(names = "--pending", description = "Restart if pending") boolean pending;
        @Option(names = "--timeout", description = "Return error and fail over if necessary when restarting takes longer than this.") String timeout;
        @Option(names = "--force", description = "Do not ask for confirmation at any point") boolean force;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                CtlReadCommands.refuseGroup(group);
                new Restart(s).run(new Restart.Request(cluster, members, role(role), any, scheduled, pgVersion, pending, timeout, force));
            });
        }
    }

    @Command(name = "reinit", mixinStandardHelpOptions = true, description = "Reinitialize cluster members (rebuild replicas).")
    static final class ReinitCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(index = "0", paramLabel = "CLUSTER_NAME") String cluster;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "MEMBER_NAME") List<String> members = new ArrayList<>();
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = "--force", description = "Do not ask for confirmation at any point") boolean force;
        @Option(names = "--wait", description = "Wait until reinitialization completes") boolean wait;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                CtlReadCommands.refuseGroup(group);
                new Reinit(s).run(cluster, members, force, wait);
            });
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true, description = "Reload cluster member configuration.")
    static final class ReloadCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(index = "0", paramLabel = "CLUSTER_NAME") String cluster;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "MEMBER_NAME") List<String> members = new ArrayList<>();
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = {"-r", "--role"}, defaultValue = "any", description = "Reload only members with this role") String role;
        @Option(names = "--force", description = "Do not ask for confirmation at any point") boolean force;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                CtlReadCommands.refuseGroup(group);
                new Reload(s).run(cluster, members, role(role), force);
            });
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Disable automatic failover (maintenance mode).")
    static final class PauseCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(arity = "0..1", paramLabel = "CLUSTER_NAME") String cluster;
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = "--wait", description = "Wait until pause is applied on all nodes") boolean wait;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                CtlReadCommands.refuseGroup(group);
                new Pause(s).run(CtlCommand.scope(cluster, cfg), true, wait);
            });
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume automatic failover.")
    static final class ResumeCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(arity = "0..1", paramLabel = "CLUSTER_NAME") String cluster;
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = "--wait", description = "Wait until pause is cleared on all nodes") boolean wait;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                CtlReadCommands.refuseGroup(group);
                new Pause(s).run(CtlCommand.scope(cluster, cfg), false, wait);
            });
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Discard scheduled events: CLUSTER_NAME [MEMBER_NAME...] restart|switchover")
    static final class FlushCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(arity = "2..*", paramLabel = "ARGS", description = "CLUSTER_NAME [MEMBER_NAME...] restart|switchover") List<String> args;
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = {"-r", "--role"}, defaultValue = "any", description = "Flush only members with this role") String role;
        @Option(names = "--force", description = "Do not ask for confirmation at any point") boolean force;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                CtlReadCommands.refuseGroup(group);
                String target = args.get(args.size() - 1);
                List<String> members = args.subList(1, args.size() - 1);
                switch (target) {
                    case "restart" -> new Flush(s).restarts(args.get(0), members, role(role), force);
                    case "switchover" -> new Flush(s).switchover(args.get(0));
                    default -> throw new CtlException("Invalid value for 'TARGET': '" + target + "' is not one of 'restart', 'switchover'");
                }
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a cluster from the DCS (asks three confirmations).")
    static final class RemoveCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(index = "0", paramLabel = "CLUSTER_NAME") String cluster;
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = {"-f", "--format"}, defaultValue = "pretty", description = "Output format (pretty, tsv, json, yaml)") String format;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                CtlReadCommands.refuseGroup(group);
                new Remove(s).run(cluster, format);
            });
        }
    }

    @Command(name = "edit-config", mixinStandardHelpOptions = true, description = "Edit the cluster's dynamic configuration.")
    static final class EditConfigCmd implements Callable<Integer> {
        @ParentCommand CtlCommand parent;
        @Parameters(arity = "0..1", paramLabel = "CLUSTER_NAME") String cluster;
        @Option(names = "--group", hidden = true) Integer group;
        @Option(names = {"-q", "--quiet"}, description = "Do not show changes") boolean quiet;
        @Option(names = {"-s", "--set"}, description = "Set specific configuration value. Can be specified multiple times") List<String> set = new ArrayList<>();
        @Option(names = {"-p", "--pg"}, description = "Set specific PostgreSQL parameter value. Shorthand for -s postgresql.parameters. "
                + "Can be specified multiple times") List<String> pg = new ArrayList<>();
        @Option(names = "--apply", description = "Apply configuration from file. Use - for stdin.") String apply;
        @Option(names = "--replace", description = "Apply configuration from file, replacing existing configuration. Use - for stdin.") String replace;
        @Option(names = "--force", description = "Do not ask for confirmation at any point") boolean force;

        @Override
        public Integer call() {
            return parent.execute((s, cfg) -> {
                CtlReadCommands.refuseGroup(group);
                new EditConfig(s, EditConfigCmd::readFile, new ExternalEditor(editor()))
                        .run(new EditConfig.Request(CtlCommand.scope(cluster, cfg), set, pg, apply, replace, quiet, force));
            });
        }

        static String readFile(String name) {
            try {
                return name.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(name));
            } catch (IOException e) {
                throw new CtlException("cannot read " + name + ": " + e.getMessage());
            }
        }

        /** $EDITOR, else `editor` or `vi` from the PATH, as patronictl looks for one. */
        static String editor() {
            String e = System.getenv("EDITOR");
            if (e != null && !e.isBlank()) {
                return e;
            }
            String path = System.getenv("PATH") == null ? "" : System.getenv("PATH");
            for (String name : List.of("editor", "vi")) {
                for (String dir : path.split(File.pathSeparator)) {
                    Path p = Path.of(dir, name);
                    if (Files.isExecutable(p)) {
                        return p.toString();
                    }
                }
            }
            return null;
        }
    }
}
