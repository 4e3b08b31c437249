package io.pgha.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {
    private static final String FILE = """
            scope: demo
            name: m1
            restapi: {listen: 127.0.0.1:18008, authentication: {username: u, password: p}}
            etcd3: {hosts: 127.0.0.1:12379}
            bootstrap: {dcs: {ttl: 6}}
            postgresql:
              listen: 127.0.0.1:15432
              data_dir: DATA
              bin_dir: BIN
              authentication:
                superuser: {username: postgres, password: a}
                replication: {username: repl, password: b}
            """;

    private static String[] run(Path dir, String text) throws Exception {
        Path f = dir.resolve("agent.yml");
        Files.writeString(f, text.replace("DATA", dir.resolve("pgdata").toString()).replace("BIN", dir.resolve("bin").toString()));
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new AgentCommand()).execute("--config", f.toString());
            return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void each_bad_file_is_one_line_and_exit_code_2_before_anything_starts(@TempDir Path dir) throws Exception {
        String[][] cases = {
            {FILE.replace("ttl: 6", "ttl: \"abc\""), "bootstrap.dcs.ttl: expected an integer"},
            {FILE.replace("ttl: 6", "ttl: 6, loop_wait: -7"), "bootstrap.dcs.loop_wait: must be between 1 and 3600"},
            {FILE.replace("ttl: 6", "ttl: 4"), "loop_wait + 2 x retry_timeout <= ttl"},
            {FILE.replace("name: m1\n", "name: m1\nname: m2\n"), "duplicate key 'name'"},
            {FILE.replace(", authentication: {username: u, password: p}", ""), "restapi.authentication is required"},
            {FILE, "postgresql.bin_dir: " + dir.resolve("bin") + " is not a directory"},
        };
        for (String[] c : cases) {
            String[] r = run(dir, c[0]);
            assertThat(r[0]).as(c[1]).isEqualTo("2");
            assertThat(r[1]).as(c[1]).startsWith("pgha agent: ").contains(c[1]).hasLineCount(1);
        }
    }
}
