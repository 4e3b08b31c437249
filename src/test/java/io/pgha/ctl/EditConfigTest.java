package io.pgha.ctl;

import static io.pgha.ctl.CtlFakes.healthy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EditConfigTest {
    private final CtlFakes.Store store = new CtlFakes.Store(healthy());
    private final CtlFakes.Term term = new CtlFakes.Term("");

    private EditConfig edit(String fileText) {
        return new EditConfig(CtlFakes.session(store, new CtlFakes.Api(), term), f -> fileText, (yaml, scope) -> {
            throw new AssertionError("no editor expected");
        });
    }

    private static EditConfig.Request set(String... pairs) {
        return new EditConfig.Request("demo", List.of(pairs), List.of(), null, null, false, true);
    }

    @Test
    void writes_python_style_json_with_cas_on_the_revision_it_read_and_shows_the_diff() {
        edit(null).run(new EditConfig.Request("demo", List.of("ttl=20"), List.of("max_connections=200"), null, null, false, true));
        assertThat(store.writes).containsExactly("config@5 {\"ttl\": 20, \"loop_wait\": 10, \"postgresql\": {\"parameters\": {\"max_connections\": 200}}}");
        assertThat(term.out()).isEqualTo("--- \n+++ \n@@ -1,2 +1,5 @@\n loop_wait: 10\n-ttl: 30\n+postgresql:\n+  parameters:\n"
                + "+    max_connections: 200\n+ttl: 20\nConfiguration changed\n");
    }

    @Test
    void a_concurrent_change_aborts_with_patronictls_message() {
        store.casFails = true;
        assertThatThrownBy(() -> edit(null).run(set("ttl=20"))).hasMessage("Config modification aborted due to concurrent changes");
    }

    @Test
    void no_change_writes_nothing() {
        edit(null).run(set("ttl=30"));
        assertThat(store.writes).isEmpty();
        assertThat(term.out()).isEqualTo("Not changed\n");
    }

    @Test
    void replace_then_apply_then_set_in_patronictls_order() {
        edit("loop_wait: 5\n").run(new EditConfig.Request("demo", List.of("ttl=9"), List.of(), "f", "f", true, true));
        assertThat(store.writes).containsExactly("config@5 {\"loop_wait\": 5, \"ttl\": 9}");
        assertThat(term.out()).isEqualTo("Configuration changed\n");
    }

    @Test
    void changes_from_stdin_need_force_since_there_is_no_way_to_ask() {
        edit("ttl: 21\n").run(new EditConfig.Request("demo", List.of(), List.of(), "-", null, true, false));
        assertThat(store.writes).isEmpty();
        assertThat(term.out()).isEqualTo("Use --force option to apply changes\n");
    }

    @Test
    void without_force_a_no_writes_nothing() {
        CtlFakes.Term t = new CtlFakes.Term("n\n");
        new EditConfig(CtlFakes.session(store, new CtlFakes.Api(), t), f -> null, (y, s) -> y)
                .run(new EditConfig.Request("demo", List.of("ttl=21"), List.of(), null, null, true, false));
        assertThat(store.writes).isEmpty();
        assertThat(t.out()).isEqualTo("Apply these changes? [y/N]: ");
    }

    @Test
    void the_editor_is_used_when_no_change_is_given() {
        new EditConfig(CtlFakes.session(store, new CtlFakes.Api(), term), f -> null, (yaml, s) -> yaml.replace("ttl: 30", "ttl: 31"))
                .run(new EditConfig.Request("demo", List.of(), List.of(), null, null, true, true));
        assertThat(store.writes).containsExactly("config@5 {\"loop_wait\": 10, \"ttl\": 31}");
    }

    @Test
    void an_invalid_configuration_is_refused_whole_with_exit_code_2_before_any_prompt() {
        CtlFakes.Term t = new CtlFakes.Term("y\n");
        EditConfig e = new EditConfig(CtlFakes.session(store, new CtlFakes.Api(), t), f -> null, (y, sc) -> y);
        assertThatThrownBy(() -> e.run(new EditConfig.Request("demo", List.of("ttl=abc", "loop_wait=-7"),
                List.of("shared_buffers=1GB", "bad\"name=1"), null, null, false, false)))
                .isInstanceOfSatisfying(CtlException.class, x -> assertThat(x.exitCode()).isEqualTo(2))
                .hasMessageContaining("ttl: expected an integer, got \"abc\"")
                .hasMessageContaining("loop_wait: must be between 1 and 3600, got -7")
                .hasMessageContaining("postgresql.parameters.\"bad\\\"name\": not a valid parameter name");
        assertThat(store.writes).isEmpty();
        assertThat(t.out()).isEmpty();
    }

    @Test
    void a_timing_that_breaks_the_rule_is_refused() {
        assertThatThrownBy(() -> edit(null).run(set("ttl=12", "retry_timeout=2")))
                .hasMessageContaining("loop_wait + 2 x retry_timeout <= ttl");
        assertThat(store.writes).isEmpty();
    }
}
