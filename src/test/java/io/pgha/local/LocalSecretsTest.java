package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretsTest {

    @TempDir
    Path tmp;

    @Test
    void passwords_are_generated_once_into_owner_only_files() throws Exception {
        Path dir = tmp.resolve("secrets");

        LocalSecrets first = LocalSecrets.loadOrCreate(dir);
        LocalSecrets again = LocalSecrets.loadOrCreate(dir);

        assertThat(again).isEqualTo(first);
        assertThat(first.superuser().username()).isEqualTo("postgres");
        assertThat(first.replication().username()).isEqualTo("replicator");
        assertThat(first.rewind().username()).isEqualTo("rewinder");
        assertThat(first.superuser().password()).hasSize(32).isNotEqualTo(first.replication().password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        Path su = LocalSecrets.file(dir, "postgres");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(su))).isEqualTo("rw-------");
        assertThat(LocalSecrets.read(su)).isEqualTo(first.superuser().password());
    }

    @Test
    void generated_passwords_are_url_and_yaml_safe() {
        for (int i = 0; i < 200; i++) {
            assertThat(LocalSecrets.generate()).matches("[A-Za-z0-9_-]{32}");
        }
    }
}
