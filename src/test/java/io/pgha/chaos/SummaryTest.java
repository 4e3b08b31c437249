package io.pgha.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    static FaultResult result(String kind, Double recoveryMs, int lostWrites, int lostProbes, int overlaps, double overlapMs,
                              Double rejoinMs) {
        return new FaultResult("r", 1, kind, "m1", "m1", "m2", 0, 0, rejoinMs, 0, recoveryMs, List.of(),
                lostWrites, List.of(), lostProbes, List.of(), overlaps, overlapMs, List.of(), rejoinMs, rejoinMs != null,
                recoveryMs == null ? null : recoveryMs / 10, "");
    }

    @Test
    void rows_sum_losses_and_overlaps_and_take_median_and_max_of_recovery_per_kind_in_order_of_appearance() {
        List<Summary.Row> rows = Summary.rows(List.of(
                result("partition", 9000.0, 0, 1, 1, 250.0, 4000.0),
                result("kill-primary", 6000.0, 2, 0, 0, 0, 5000.0),
                result("partition", 7000.0, 0, 0, 0, 0, 6000.0),
                result("kill-primary", 8000.0, 0, 0, 0, 0, 7000.0),
                result("kill-primary", null, 0, 0, 0, 0, null)));

        assertThat(rows).containsExactly(
                new Summary.Row("partition", 2, 0, 1, 1, 250.0, 8000.0, 9000.0, 0, 5000.0, 0, 700.0),
                new Summary.Row("kill-primary", 3, 2, 0, 0, 0.0, 7000.0, 8000.0, 1, 6000.0, 1, 600.0));
        assertThat(Summary.clean(rows)).isFalse();
    }

    @Test
    void a_run_without_loss_overlap_or_failure_is_clean_and_renders_seconds() {
        List<Summary.Row> rows = Summary.rows(List.of(result("kill-postgres", 1234.0, 0, 0, 0, 0, 900.0)));

        assertThat(Summary.clean(rows)).isTrue();
        assertThat(Summary.markdown(rows)).contains("| kill-postgres | 1 | 0 (0 + 0) | 0 / 0.00 | 0.12 | 1.23 / 1.23 | 0 | 0.90 | 0 |");
    }

    @Test
    void the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assertThat(Summary.median(List.of(1.0, 2.0, 3.0, 10.0))).isEqualTo(2.5);
        assertThat(Summary.median(List.of())).isNull();
    }
}
