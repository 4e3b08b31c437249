package io.pgha.ctl;

import static io.pgha.ctl.CtlFakes.entry;
import static io.pgha.ctl.CtlFakes.healthy;
import static io.pgha.ctl.CtlFakes.member;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.contract.ClusterParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListAndPauseWaitTest {
    private final CtlFakes.Api api = new CtlFakes.Api();
    private final CtlFakes.Term term = new CtlFakes.Term("");

    @Test
    void list_prints_a_timestamp_then_each_cluster_once_without_watch() {
        new ListCommand(CtlFakes.session(new CtlFakes.Store(healthy()), api, term)).run(List.of("demo", "demo"), false, true, "tsv", 0, true);
        List<String> lines = term.out().lines().toList();
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(lines).filteredOn(l -> l.startsWith("Cluster\t")).hasSize(2);
        assertThat(term.out()).doesNotContain("\033[2J"); // the screen is cleared only when watching
    }

    @Test
    void pause_wait_succeeds_once_every_member_echoes_the_pause() {
        List<ClusterParser.Entry> kvs = healthy();
        for (String m : List.of("m1", "m2", "m3")) {
            kvs.add(member(m, m.equals("m1") ? "master" : "replica", ",\"pause\":true"));
        }
        new Pause(CtlFakes.session(new CtlFakes.Store(kvs), api, term)).run("demo", true, true);
        assertThat(term.out()).isEqualTo("'pause' request sent, waiting until it is recognized by all nodes\nSuccess: cluster management is paused\n");
    }

    @Test
    void pause_wait_names_the_members_that_never_echo_it_within_loop_wait() {
        List<ClusterParser.Entry> kvs = healthy();
        kvs.add(entry("config", "{\"loop_wait\":0}", 5)); // waits loop_wait + 1 s
        kvs.add(member("m1", "master", ",\"pause\":true"));
        new Pause(CtlFakes.session(new CtlFakes.Store(kvs), api, term)).run("demo", true, true);
        assertThat(term.err()).isEqualTo("m2, m3 members didn't recognized pause state after 0 seconds\n");
        assertThat(term.console.failed()).isTrue();
    }
}
