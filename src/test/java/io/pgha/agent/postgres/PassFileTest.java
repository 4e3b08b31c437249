package io.pgha.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.config.AgentSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassFileTest {
    private static final String PASSWORD = "a:b\\c:'d";

    @TempDir
    Path tmp;

    @Test
    void colon_and_backslash_are_escaped_as_libpq_reads_them() {
        assertThat(PassFile.field("a:b\\c")).isEqualTo("a\\:b\\\\c");
        assertThat(PassFile.field("plain")).isEqualTo("plain");
    }

    @Test
    void a_password_with_a_line_break_is_refused_not_split_into_two_lines() {
        assertThatThrownBy(() -> PassFile.field("one\n*:*:*:postgres:two")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line break");
    }

    @Test
    void the_file_holds_the_replication_and_the_rewind_login() throws Exception {
        AgentSettings s = TestSettings.member(tmp.resolve("data"), tmp, PASSWORD);
        // no rewind user configured: pg_rewind connects as the superuser
        assertThat(PassFile.render(s)).isEqualTo("*:*:*:replicator:a\\:b\\\\c\\:'d\n*:*:*:postgres:su-secret\n");
    }

    @Test
    void the_file_lives_beside_the_data_directory_with_mode_0600() throws Exception {
        AgentSettings s = TestSettings.member(tmp.resolve("data"), tmp, PASSWORD);
        Path file = PassFile.of(s);
        assertThat(file).isEqualTo(tmp.resolve("data.pgpass"));
        Files.writeString(file, "old, readable by all");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        PassFile.write(s, file);

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).startsWith("*:*:*:replicator:a\\:b\\\\c\\:'d\n");
        assertThat(Files.getOwner(file)).isEqualTo(Files.getOwner(tmp));
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("data.pgpass"); // no temp file left
        }
    }

    @Test
    void a_clone_writes_it_before_any_directory_of_the_data_directory_exists() throws Exception {
        AgentSettings s = TestSettings.member(tmp.resolve("pods/shop-0/pgdata"), tmp, PASSWORD);

        PassFile.write(s, PassFile.of(s));

        assertThat(tmp.resolve("pods/shop-0/pgdata.pgpass")).exists();
        assertThat(tmp.resolve("pods/shop-0/pgdata")).doesNotExist(); // pg_basebackup creates it, mode 0700
    }

    @Test
    void primary_conninfo_names_the_passfile_and_never_the_password() throws Exception {
        AgentSettings s = TestSettings.member(tmp.resolve("data"), tmp, PASSWORD);
        String conf = ConfFiles.postgresqlConf(s, Map.of(), new ConfFiles.Upstream("m2", "127.0.0.1", 5433), "/tmp");

        String conninfo = ConfFiles.parameter(conf, "primary_conninfo");
        assertThat(conninfo).contains("passfile='" + tmp.resolve("data.pgpass") + "'").contains("user='replicator'")
                .doesNotContain("password");
        assertThat(conf).doesNotContain("a:b").doesNotContain("su-secret");
    }

    @Test
    void postgres_writes_the_passfile_with_its_configuration() throws IOException, Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Postgres pg = new Postgres(TestSettings.member(data, tmp, PASSWORD));

        pg.writeConfig(Map.of(), new ConfFiles.Upstream("m2", "127.0.0.1", 5433), true);

        assertThat(Files.readString(pg.passFile())).contains("replicator:a\\:b");
        assertThat(Files.readString(data.resolve("postgresql.conf"))).contains("passfile=").doesNotContain("a:b");
    }

    @Test
    void passwords_in_the_agents_environment_are_not_handed_to_postgresql() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATRONI_REPLICATION_PASSWORD", "x", "PGPASSWORD", "y",
                "PATRONI_SCOPE", "demo", "PATH", "/bin"));
        PgCommand.withoutSecrets(env);
        assertThat(env).containsOnlyKeys("PATRONI_SCOPE", "PATH");
    }
}
