package io.pgha.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DcsTimingTest {

    @Test
    void pghas_default_is_ttl_6_loop_wait_1_retry_timeout_2() {
        assertThat(DcsTiming.PGHA_DEFAULT).isEqualTo(new DcsTiming(6, 1, 2));
    }

    @Test
    void patronis_defaults_satisfy_the_rule_exactly() {
        assertThat(new DcsTiming(30, 10, 10).ttl()).isEqualTo(30);
    }

    @Test
    void a_leader_that_could_not_demote_before_its_lease_expires_is_refused() {
        assertThatThrownBy(() -> new DcsTiming(6, 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loop_wait + 2 x retry_timeout <= ttl");
    }

    @Test
    void zero_values_are_refused() {
        assertThatThrownBy(() -> new DcsTiming(6, 0, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void values_beyond_an_hour_are_refused_and_problem_names_the_rule_without_throwing() {
        assertThatThrownBy(() -> new DcsTiming(3601, 1, 2)).hasMessageContaining("ttl 2..3600");
        assertThat(DcsTiming.problem(6, 1, 2)).isNull();
        assertThat(DcsTiming.problem(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE)).contains("timing needs");
        assertThat(DcsTiming.problem(4, 1, 2)).contains("loop_wait + 2 x retry_timeout <= ttl");
    }
}
