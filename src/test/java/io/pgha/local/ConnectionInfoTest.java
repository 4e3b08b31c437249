package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.config.DcsTiming;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionInfoTest {

    @TempDir
    Path dir;

    @Test
    void it_shows_connection_strings_and_the_password_file_but_never_the_password() {
        LocalSecrets secrets = LocalSecrets.loadOrCreate(dir.resolve("secrets"));
        LocalLayout l = LocalLayout.fromPortBase(dir, "pgha-local", 3, 16000, DcsTiming.PGHA_DEFAULT);
        Path pw = LocalSecrets.file(l.secretsDir(), "postgres");

        String text = ConnectionInfo.render(new LocalUp.Result(l, "m1", pw, false));

        assertThat(text).contains("psql \"postgresql://postgres@127.0.0.1:16000/postgres\"",
                "psql \"postgresql://postgres@127.0.0.1:16001/postgres\"", pw.toString(),
                "java -jar " + dir.resolve("pgha.jar") + " local status --dir " + dir, "patronictl -c " + dir.resolve("patronictl.yaml") + " list",
                "leader m1");
        assertThat(text).doesNotContain(secrets.superuser().password());
    }
}
