package io.pgha.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PgbouncerConfigRendererTest {

    static PgbouncerConfig member1() {
        return new PgbouncerConfig("127.0.0.1", 16201, "127.0.0.1", 16101, "/var/tmp/c1/m1/userlist.txt",
                "/var/tmp/c1/m1/pgbouncer.pid", "/var/tmp/c1/m1/pgbouncer.log", "postgres", 200, 20);
    }

    private final PgbouncerConfigRenderer renderer = new PgbouncerConfigRenderer();

    @Test
    void one_member_renders_as_the_golden_pgbouncer_ini() {
        Golden.assertMatches("pgbouncer-m1.ini", renderer.render(member1()));
    }

    @Test
    void it_pools_transactions_with_scram_and_forwards_to_its_own_postgres() {
        String ini = renderer.render(member1());

        assertThat(ini).contains("* = host=127.0.0.1 port=16101", "listen_addr = 127.0.0.1", "listen_port = 16201",
                "pool_mode = transaction", "auth_type = scram-sha-256", "auth_file = /var/tmp/c1/m1/userlist.txt",
                "ignore_startup_parameters = extra_float_digits,options", "pidfile = /var/tmp/c1/m1/pgbouncer.pid",
                "logfile = /var/tmp/c1/m1/pgbouncer.log");
    }

    @Test
    void the_userlist_quotes_users_and_passwords_and_doubles_embedded_quotes() {
        Golden.assertMatches("pgbouncer-userlist.txt",
                renderer.renderUserlist(Map.of("postgres", "pw\"with\"quotes", "app", "plain")));
    }

    @Test
    void a_password_spanning_lines_is_refused() {
        assertThatThrownBy(() -> renderer.renderUserlist(Map.of("postgres", "a\nb")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_setting_spanning_lines_is_refused() {
        assertThatThrownBy(() -> new PgbouncerConfig("127.0.0.1", 1, "127.0.0.1", 2, "/a\n[x]", "/p", "/l", "u", 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
