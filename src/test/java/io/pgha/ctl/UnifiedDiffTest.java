package io.pgha.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hunks compared with Python's difflib.unified_diff on the same texts. */
class UnifiedDiffTest {

    @Test
    void identical_texts_give_no_lines() {
        assertThat(UnifiedDiff.lines("a: 1\nb: 2\n", "a: 1\nb: 2\n")).isEmpty();
    }

    @Test
    void change_in_the_middle_has_three_lines_of_context() {
        String before = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\n";
        String after = "a: 1\nb: 2\nc: 3\nd: 4\ne: 50\nf: 6\ng: 7\nh: 8\ni: 9\n";
        assertThat(UnifiedDiff.lines(before, after)).containsExactly(
                "--- ", "+++ ", "@@ -2,7 +2,7 @@", " b: 2", " c: 3", " d: 4", "-e: 5", "+e: 50", " f: 6", " g: 7", " h: 8");
    }

    @Test
    void distant_changes_make_separate_hunks() {
        String before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
        String after = "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n";
        assertThat(UnifiedDiff.lines(before, after)).containsExactly(
                "--- ", "+++ ", "@@ -1,3 +1,4 @@", "+0", " 1", " 2", " 3", "@@ -9,4 +10,3 @@", " 9", " 10", " 11", "-12");
    }

    @Test
    void one_line_ranges_print_without_a_length() {
        assertThat(UnifiedDiff.lines("a\n", "a\nb\n")).containsExactly("--- ", "+++ ", "@@ -1 +1,2 @@", " a", "+b");
        assertThat(UnifiedDiff.lines("a\nb\nc\nd\ne\n", "a\nb\nc\nd\n")).containsExactly("--- ", "+++ ", "@@ -2,4 +2,3 @@", " b", " c", " d", "-e");
    }

    @Test
    void the_edit_config_example_matches_patronictl() {
        String before = "loop_wait: 10\npause: true\npostgresql:\n  parameters:\n    wal_log_hints: 'on'\nstandby_cluster:\n  host: x\nttl: 30\n";
        String after = "loop_wait: 5\npause: true\npostgresql:\n  parameters:\n    max_connections: 200\n    wal_log_hints: 'on'\nttl: 30\n";
        assertThat(UnifiedDiff.lines(before, after)).containsExactly("--- ", "+++ ", "@@ -1,8 +1,7 @@",
                "-loop_wait: 10", "+loop_wait: 5", " pause: true", " postgresql:", "   parameters:", "+    max_connections: 200",
                "     wal_log_hints: 'on'", "-standby_cluster:", "-  host: x", " ttl: 30");
    }
}
