package io.pgha.ctl;

import static io.pgha.ctl.CtlFakes.healthy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.contract.Cluster;
import org.junit.jupiter.api.Test;

class RemoveAndDsnTest {

    private static CtlFakes.Store removeWith(String answers) {
        CtlFakes.Store store = new CtlFakes.Store(healthy());
        new Remove(CtlFakes.session(store, new CtlFakes.Api(), new CtlFakes.Term(answers))).run("demo", "pretty");
        return store;
    }

    @Test
    void remove_needs_the_name_the_sentence_and_the_leader() {
        assertThat(removeWith("demo\nYes I am aware\nm1\n").writes).containsExactly("delete demo");
        assertThatThrownBy(() -> removeWith("other\n")).hasMessage("Cluster names specified do not match");
        assertThatThrownBy(() -> removeWith("demo\nyes\n")).hasMessage("You did not exactly type \"Yes I am aware\"");
        assertThatThrownBy(() -> removeWith("demo\nYes I am aware\nm2\n")).hasMessage("You did not specify the current leader of the cluster");
    }

    @Test
    void dsn_of_the_leader_a_role_or_a_member() {
        Cluster c = new CtlFakes.Store(healthy()).read("demo");
        assertThat(Dsn.of(c, null, null)).isEqualTo("host=127.0.0.1 port=15401");
        assertThat(Dsn.of(c, "replica", null)).isEqualTo("host=127.0.0.1 port=15402");
        assertThat(Dsn.of(c, null, "m3")).isEqualTo("host=127.0.0.1 port=15403");
        assertThatThrownBy(() -> Dsn.of(c, "replica", "m3")).hasMessage("--role and --member are mutually exclusive options");
        assertThatThrownBy(() -> Dsn.of(c, null, "m9")).hasMessage("Can not find a suitable member");
    }
}
