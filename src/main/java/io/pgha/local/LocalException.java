package io.pgha.local;

/** A failure of a {@code pgha local} command: one clear line for the user and the exit code to return. */
public final class LocalException extends RuntimeException {

    /** Bad input or an unusable machine (busy port, missing binary, foreign directory). */
    public static final int BAD_INPUT = 2;
    /** Something failed while running (a process died, a timeout passed). */
    public static final int FAILED = 1;

    private final int exitCode;

    public LocalException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public LocalException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static LocalException badInput(String message) {
        return new LocalException(BAD_INPUT, message);
    }

    public static LocalException failed(String message) {
        return new LocalException(FAILED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
