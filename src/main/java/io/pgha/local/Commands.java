package io.pgha.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Short-lived helper commands (pg_config, useradd, test…) run to completion. */
final class Commands {

    private static final long TIMEOUT_SECONDS = 60;

    private Commands() {}

    /** Runs the command and returns its output; fails with {@code what} and the output on a non-zero exit. */
    static String run(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw LocalException.failed("cannot " + what + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw LocalException.failed("cannot " + what + ": " + (out.isEmpty() ? "exit code " + p.exitValue() : out));
            }
            return out;
        } catch (IOException e) {
            throw LocalException.failed("cannot " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LocalException.failed("cannot " + what + ": interrupted");
        }
    }

    /** Runs the command, discarding its output, and returns its exit code (-1 if it could not run). */
    static int exitCode(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
