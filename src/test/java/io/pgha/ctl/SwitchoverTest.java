package io.pgha.ctl;

import static io.pgha.ctl.CtlFakes.entry;
import static io.pgha.ctl.CtlFakes.healthy;
import static io.pgha.ctl.CtlFakes.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.contract.ClusterParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwitchoverTest {
    private final CtlFakes.Api api = new CtlFakes.Api();
    private final CtlFakes.Term term = new CtlFakes.Term("");

    private void run(List<ClusterParser.Entry> kvs, Switchover.Request req) {
        new Switchover(CtlFakes.session(new CtlFakes.Store(kvs), api, term)).run(req);
    }

    private static Switchover.Request forced(String leader, String candidate) {
        return new Switchover.Request("demo", false, leader, candidate, null, true);
    }

    @Test
    void forced_switchover_posts_leader_and_candidate_to_the_leaders_api() {
        api.reply(200, "Successfully switched over to \"m3\"");
        run(healthy(), forced("m1", "m3"));
        assertThat(api.calls).containsExactly("POST m1 switchover {\"leader\": \"m1\", \"candidate\": \"m3\", \"scheduled_at\": null}");
        assertThat(term.out()).startsWith("Current cluster topology\n+ Cluster: demo ").contains(" Successfully switched over to \"m3\"\n");
        assertThat(term.console.failed()).isFalse();
    }

    @Test
    void wrong_leader_same_target_unknown_or_nofailover_candidate_are_refused_before_any_call() {
        List<ClusterParser.Entry> kvs = healthy();
        kvs.add(member("m2", "replica", ",\"tags\":{\"nofailover\":true}"));
        assertThatThrownBy(() -> run(kvs, forced("m2", "m3"))).hasMessage("Member m2 is not the leader of cluster demo");
        assertThatThrownBy(() -> run(kvs, forced("m1", "m1"))).hasMessage("Switchover target and source are the same.");
        assertThatThrownBy(() -> run(kvs, forced("m1", "m9"))).hasMessage("Member m9 does not exist in cluster demo");
        assertThatThrownBy(() -> run(kvs, forced("m1", "m2"))).hasMessage("Member m2 does not exist in cluster demo");
        assertThat(api.calls).isEmpty();
    }

    @Test
    void switchover_needs_a_leader_and_failover_a_candidate() {
        List<ClusterParser.Entry> noLeader = healthy().stream().filter(e -> !e.key().endsWith("/leader")).toList();
        assertThatThrownBy(() -> run(noLeader, forced(null, "m2"))).hasMessage("This cluster has no leader");
        assertThatThrownBy(() -> run(healthy(), new Switchover.Request("demo", true, null, null, null, true)))
                .hasMessage("Failover could be performed only to a specific candidate");
    }

    @Test
    void failover_without_a_leader_asks_the_candidate_itself() {
        List<ClusterParser.Entry> noLeader = healthy().stream().filter(e -> !e.key().endsWith("/leader")).toList();
        run(noLeader, new Switchover.Request("demo", true, null, "m2", null, true));
        assertThat(api.calls).containsExactly("POST m2 failover {\"leader\": null, \"candidate\": \"m2\", \"scheduled_at\": null}");
    }

    @Test
    void unreachable_leader_falls_back_to_writing_the_failover_key() {
        api.unreachable();
        CtlFakes.Store store = new CtlFakes.Store(healthy());
        new Switchover(CtlFakes.session(store, api, term)).run(new Switchover.Request("demo", false, null, "m2", "2030-01-01T10:00+02:00", true));
        assertThat(store.writes).containsExactly("failover@0 {\"leader\":\"m1\",\"member\":\"m2\",\"scheduled_at\":\"2030-01-01T10:00:00+02:00\"}");
        assertThat(term.out()).contains("Could not switchover using Patroni api, falling back to DCS");
    }

    @Test
    void an_agent_without_switchover_gets_the_same_request_on_failover() {
        api.reply(501, "Server does not support this operation").reply(200, "done");
        run(healthy(), forced("m1", "m2"));
        assertThat(api.calls).extracting(c -> c.split(" ")[2]).containsExactly("switchover", "failover");
    }

    @Test
    void a_refusal_by_the_agent_is_one_line_on_stderr_and_a_failed_run() {
        api.reply(412, "candidate name does not match with sync_standby");
        run(healthy(), forced("m1", "m2"));
        assertThat(term.err()).isEqualTo("Switchover failed, details: 412, candidate name does not match with sync_standby\n");
        assertThat(term.console.failed()).isTrue();
    }

    @Test
    void scheduling_is_refused_while_paused() {
        List<ClusterParser.Entry> kvs = healthy();
        kvs.add(entry("config", "{\"pause\":true}", 7));
        assertThatThrownBy(() -> run(kvs, new Switchover.Request("demo", false, null, "m2", "2030-01-01T00:00Z", true)))
                .hasMessage("Can't schedule switchover in the paused state");
    }

    @Test
    void without_force_every_missing_answer_is_asked_for_and_no_aborts() {
        CtlFakes.Term t = new CtlFakes.Term("\nm3\n\nn\n");
        CtlFakes.Store store = new CtlFakes.Store(healthy());
        assertThatThrownBy(() -> new Switchover(CtlFakes.session(store, api, t)).run(new Switchover.Request("demo", false, null, null, null, false)))
                .hasMessage("Aborting switchover");
        assertThat(t.out()).contains("Primary [m1]: Candidate ['m2', 'm3'] []: When should the switchover take place (e.g. ")
                .contains("Are you sure you want to switchover cluster demo, demoting current leader m1? [y/N]: ");
        assertThat(api.calls).isEmpty();
    }
}
