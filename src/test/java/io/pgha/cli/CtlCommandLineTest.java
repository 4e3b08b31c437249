package io.pgha.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.ctl.CtlConfig;
import io.pgha.ctl.CtlException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** patronictl's option names and argument rules, checked on the parser without touching etcd. */
class CtlCommandLineTest {

    private static CommandLine.ParseResult parse(String... args) {
        return new CommandLine(new CtlCommand()).parseArgs(args);
    }

    private static Object sub(String... args) {
        CommandLine.ParseResult r = parse(args);
        return r.subcommand().commandSpec().userObject();
    }

    /** Exit code of a full run; usage errors go to a discarded writer. */
    private static int exit(String... args) {
        CommandLine cl = new CommandLine(new CtlCommand());
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void switchover_takes_patronictls_aliases_for_the_leader() {
        for (String alias : List.of("--leader", "--primary", "--master")) {
            CtlWriteCommands.SwitchoverCmd s = (CtlWriteCommands.SwitchoverCmd) sub("switchover", "demo", alias, "m1", "--candidate", "m2",
                    "--scheduled", "2030-01-01T00:00", "--force");
            assertThat(s.cluster).isEqualTo("demo");
            assertThat(s.leader).isEqualTo("m1");
            assertThat(s.candidate).isEqualTo("m2");
            assertThat(s.scheduled).isEqualTo("2030-01-01T00:00");
            assertThat(s.force).isTrue();
        }
    }

    @Test
    void restart_has_a_required_cluster_then_members_and_role_defaults_to_any() {
        CtlWriteCommands.RestartCmd r = (CtlWriteCommands.RestartCmd) sub("restart", "demo", "m1", "m2", "--pg-version", "15.4",
                "--pending", "--timeout", "30", "--any");
        assertThat(r.cluster).isEqualTo("demo");
        assertThat(r.members).containsExactly("m1", "m2");
        assertThat(r.role).isEqualTo("any");
        assertThat(r.pgVersion).isEqualTo("15.4");
        assertThat(r.pending && r.any).isTrue();
        assertThat(r.timeout).isEqualTo("30");
        assertThat(exit("restart")).as("cluster name is required, as in patronictl").isEqualTo(2);
    }

    @Test
    void edit_config_repeats_set_and_pg() {
        CtlWriteCommands.EditConfigCmd e = (CtlWriteCommands.EditConfigCmd) sub("edit-config", "-s", "ttl=20", "--set", "loop_wait=5",
                "-p", "work_mem=8MB", "--pg", "max_connections=200", "--apply", "-", "-q", "--force");
        assertThat(e.set).containsExactly("ttl=20", "loop_wait=5");
        assertThat(e.pg).containsExactly("work_mem=8MB", "max_connections=200");
        assertThat(e.apply).isEqualTo("-");
        assertThat(e.quiet && e.force).isTrue();
    }

    @Test
    void list_watch_options() {
        CtlReadCommands.ListCmd l = (CtlReadCommands.ListCmd) sub("list", "a", "b", "-e", "-t", "-f", "json", "-W");
        assertThat(l.clusters).containsExactly("a", "b");
        assertThat(CtlReadCommands.watchSeconds(l.w, l.watch)).isEqualTo(2.0);
        l = (CtlReadCommands.ListCmd) sub("list", "-w", "0.5");
        assertThat(CtlReadCommands.watchSeconds(l.w, l.watch)).isEqualTo(0.5);
        assertThat(CtlReadCommands.watchSeconds(false, null)).isZero();
    }

    @Test
    void flush_needs_a_target_and_roles_are_patronictls() {
        assertThat(exit("flush", "demo")).isEqualTo(2);
        assertThat(CtlWriteCommands.role("standby-leader")).isEqualTo("standby-leader");
        assertThatThrownBy(() -> CtlWriteCommands.role("boss")).isInstanceOf(CtlException.class).hasMessageContaining("'boss' is not one of");
        assertThat(exit("-d", "etcd3://127.0.0.1:1", "flush", "demo", "later")).as("unknown target: one error line, exit 1").isEqualTo(1);
    }

    @Test
    void the_scope_comes_from_the_argument_or_the_configuration() {
        CtlConfig cfg = CtlConfig.of("fromfile", "/service/", List.of("h:1"), null);
        assertThat(CtlCommand.scope("arg", cfg)).isEqualTo("arg");
        assertThat(CtlCommand.scope(null, cfg)).isEqualTo("fromfile");
        assertThatThrownBy(() -> CtlCommand.scope(null, CtlConfig.of(null, "/service/", List.of(), null)))
                .hasMessageContaining("no cluster name");
    }

    @Test
    void unknown_options_are_usage_errors() {
        assertThat(exit("list", "--bogus")).isEqualTo(2);
        assertThat(exit("-d", "consul://x:1", "list", "demo")).as("only etcd3:// URLs").isEqualTo(1);
    }
}
