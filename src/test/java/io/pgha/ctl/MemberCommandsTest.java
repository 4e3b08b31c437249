package io.pgha.ctl;

import static io.pgha.ctl.CtlFakes.entry;
import static io.pgha.ctl.CtlFakes.healthy;
import static io.pgha.ctl.CtlFakes.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.contract.ClusterParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** restart, reinit, reload, pause/resume and flush against fakes: what is sent where, and the refusals. */
class MemberCommandsTest {
    private final CtlFakes.Api api = new CtlFakes.Api();
    private final CtlFakes.Term term = new CtlFakes.Term("");

    private CtlSession session(List<ClusterParser.Entry> kvs) {
        return CtlFakes.session(new CtlFakes.Store(kvs), api, term);
    }

    @Test
    void restart_sends_the_conditions_to_each_member_of_the_role() {
        new Restart(session(healthy())).run(new Restart.Request("demo", List.of(), "replica", false, "2030-01-01T00:00Z",
                "15.4", true, "60", true));
        String body = " {\"restart_pending\": true, \"postgres_version\": \"15.4\", \"schedule\": \"2030-01-01T00:00:00+00:00\", \"timeout\": \"60\"}";
        assertThat(api.calls).containsExactly("POST m2 restart" + body, "POST m3 restart" + body);
    }

    @Test
    void a_forced_schedule_first_deletes_the_one_already_there() {
        List<ClusterParser.Entry> kvs = healthy();
        kvs.add(member("m2", "replica", ",\"scheduled_restart\":{\"schedule\":\"2029-01-01T00:00:00+00:00\"}"));
        api.reply(200, "deleted").reply(202, "Restart scheduled");
        new Restart(session(kvs)).run(new Restart.Request("demo", List.of("m2"), "any", false, "2030-01-01T00:00Z", null, false, null, true));
        assertThat(api.calls).extracting(c -> c.substring(0, c.indexOf(" restart"))).containsExactly("DELETE m2", "POST m2");
        assertThat(term.out()).contains("Success: restart scheduled on member m2");
    }

    @Test
    void restart_refusals() {
        List<ClusterParser.Entry> paused = healthy();
        paused.add(entry("config", "{\"pause\":true}", 7));
        assertThatThrownBy(() -> new Restart(session(paused)).run(new Restart.Request("demo", List.of(), "any", false, "2030-01-01T00:00Z",
                null, false, null, true))).hasMessage("Can't schedule restart in the paused state");
        assertThatThrownBy(() -> new Restart(session(healthy())).run(new Restart.Request("demo", List.of(), "any", false, null,
                "9.6", false, null, true))).hasMessage("Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: 9.6");
        assertThatThrownBy(() -> new Restart(session(healthy())).run(new Restart.Request("demo", List.of("m1"), "replica", false, null,
                null, false, null, true))).hasMessage("No replica among provided members");
        assertThat(api.calls).isEmpty();
    }

    @Test
    void restart_reports_409_and_errors_as_failures() {
        api.reply(409, "Another restart is already scheduled").reply(503, "restart failed");
        new Restart(session(healthy())).run(new Restart.Request("demo", List.of("m2", "m3"), "any", false, null, null, false, null, true));
        assertThat(term.err()).isEqualTo("Failed: another restart is already scheduled on member m2\n"
                + "Failed: restart for member m3, status code=503, (restart failed)\n");
        assertThat(term.console.failed()).isTrue();
    }

    @Test
    void reinit_on_the_leader_is_refused_and_a_running_task_is_cancelled_only_when_confirmed() {
        assertThatThrownBy(() -> new Reinit(session(healthy())).run("demo", List.of("m1"), true, false))
                .hasMessage("No replica among provided members");
        CtlFakes.Term t = new CtlFakes.Term("y\ny\n");
        api.reply(503, "reinitialize already in progress").reply(200, "reinitialize started");
        new Reinit(CtlFakes.session(new CtlFakes.Store(healthy()), api, t)).run("demo", List.of("m2"), false, false);
        assertThat(api.calls).containsExactly("POST m2 reinitialize {\"force\": false}", "POST m2 reinitialize {\"force\": true}");
        assertThat(t.out()).contains("Success: reinitialize for member m2");
    }

    @Test
    void reinit_wait_polls_until_the_member_has_its_data() {
        api.reply(200, "reinitialize started").reply(200, "{\"state\":\"creating replica\"}").reply(200, "{\"state\":\"running\"}");
        new Reinit(session(healthy())).run("demo", List.of("m3"), true, true);
        assertThat(api.calls).containsExactly("POST m3 reinitialize {\"force\": true}", "GET m3 null", "GET m3 null");
        assertThat(term.out()).contains("Waiting for reinitialize to complete on: m3\n").endsWith("Reinitialize is completed on: m3\n");
    }

    @Test
    void reload_reports_each_answer() {
        api.reply(200, "").reply(202, "reload scheduled").reply(500, "boom");
        new Reload(session(healthy())).run("demo", List.of(), "any", true);
        assertThat(term.out()).contains("No changes to apply on member m1\n")
                .contains("Reload request received for member m2 and will be processed within 10 seconds\n");
        assertThat(term.err()).isEqualTo("Failed: reload for member m3, status code=500, (boom)\n");
    }

    @Test
    void pause_patches_the_leader_first_and_moves_on_when_it_does_not_answer() {
        api.unreachable().reply(200, "{}");
        new Pause(session(healthy())).run("demo", true, false);
        assertThat(api.calls).containsExactly("PATCH m1 config {\"pause\": true}", "PATCH m2 config {\"pause\": true}");
        assertThat(term.out()).isEqualTo("Success: cluster management is paused\n");
    }

    @Test
    void resume_deletes_the_pause_key_and_refuses_when_not_paused() {
        assertThatThrownBy(() -> new Pause(session(healthy())).run("demo", false, false)).hasMessage("Cluster is not paused");
        List<ClusterParser.Entry> paused = healthy();
        paused.add(entry("config", "{\"pause\":true}", 7));
        new Pause(session(paused)).run("demo", false, false);
        assertThat(api.calls).containsExactly("PATCH m1 config {\"pause\": null}");
    }

    @Test
    void flush_switchover_clears_the_key_with_cas_when_no_member_answers() {
        List<ClusterParser.Entry> kvs = healthy();
        kvs.add(entry("failover", "{\"leader\":\"m1\",\"member\":\"m2\",\"scheduled_at\":\"2030-01-01T00:00:00+00:00\"}", 42));
        api.unreachable().unreachable().unreachable();
        CtlFakes.Store store = new CtlFakes.Store(kvs);
        new Flush(CtlFakes.session(store, api, term)).switchover("demo");
        assertThat(api.calls).hasSize(3);
        assertThat(store.writes).containsExactly("failover@42 {}");
    }

    @Test
    void flush_restart_only_asks_members_with_a_schedule() {
        List<ClusterParser.Entry> kvs = healthy();
        kvs.add(member("m3", "replica", ",\"scheduled_restart\":{\"schedule\":\"2030-01-01T00:00:00+00:00\"}"));
        api.reply(200, "scheduled restart deleted");
        new Flush(session(kvs)).restarts("demo", List.of(), "any", true);
        assertThat(api.calls).containsExactly("DELETE m3 restart");
        assertThat(term.out()).contains("No scheduled restart for member m1\n").contains("Success: flush scheduled restart for member m3\n");
    }
}
