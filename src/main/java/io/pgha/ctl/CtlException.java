package io.pgha.ctl;

/** A refusal or failure of a ctl command: its message is printed as one line and the exit code is non-zero. */
public final class CtlException extends RuntimeException {
    /** Exit code of input that was refused before anything changed (an invalid configuration). */
    public static final int BAD_INPUT = 2;

    private final int exitCode;

    public CtlException(String message) {
        super(message);
        this.exitCode = 1;
    }

    public CtlException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = 1;
    }

    private CtlException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Refused input: exit code 2, as pgha's other commands (patronictl itself exits 1 for everything). */
    public static CtlException badInput(String message) {
        return new CtlException(message, BAD_INPUT);
    }

    public int exitCode() {
        return exitCode;
    }
}
