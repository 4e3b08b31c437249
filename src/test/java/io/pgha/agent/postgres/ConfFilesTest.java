package io.pgha.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfFilesTest {

    @Test
    void slot_names_follow_patroni() {
        assertThat(ConfFiles.slotName("Node-1.a")).isEqualTo("node_1_a");
        assertThat(ConfFiles.slotName("m\u00e9")).isEqualTo("mu0233");
    }

    @Test
    void any_password_survives_libpq_and_postgresql_conf_quoting() {
        String value = ConfFiles.libpq("it's a \\secret");
        assertThat(value).isEqualTo("'it\\'s a \\\\secret'");
        // inside postgresql.conf the whole conninfo is quoted once more, quotes doubled
        assertThat(ConfFiles.quote("password=" + value)).isEqualTo("'password=''it\\\\''s a \\\\\\\\secret'''");
    }

    @Test
    void the_follow_marker_reads_back() {
        assertThat(ConfFiles.following("a = 1\n# pgha following: m2\nprimary_conninfo = 'x'\n")).isEqualTo("m2");
        assertThat(ConfFiles.following("a = 1\n")).isNull();
    }

    @Test
    void control_characters_in_a_value_become_escapes_so_a_value_is_always_one_line() {
        assertThat(ConfFiles.quote("a\nb\rc\td\u0001")).isEqualTo("'a\\nb\\rc\\td\\001'");
        assertThat(ConfFiles.quote("it's \\")).isEqualTo("'it''s \\\\'");
    }
}
