package io.pgha.agent.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one PostgreSQL client program to completion with a bound, capturing its output for error messages. */
public final class PgCommand {

    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private PgCommand() {}

    /** @param env extra environment (a passfile's path travels here, never a password on the command line) */
    static Result run(List<String> command, Map<String, String> env, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        withoutSecrets(pb.environment());
        pb.environment().putAll(env);
        pb.environment().put("LC_ALL", "C");
        Path out = java.nio.file.Files.createTempFile("pgha-cmd", ".out");
        try {
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command.subList(0, 1)));
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + command.get(0), e);
            }
            return new Result(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }

    /**
     * Drops the passwords the agent may have been given in its own environment (Patroni's PATRONI_*_PASSWORD,
     * libpq's PGPASSWORD): pg_ctl would hand them on to the postmaster and every backend.
     */
    static void withoutSecrets(Map<String, String> environment) {
        environment.keySet().removeIf(k -> k.equals("PGPASSWORD") || (k.startsWith("PATRONI_") && k.contains("PASSWORD")));
    }
}
