package io.pgha.ctl;

/** A refusal or failure of a ctl command: its message is printed as one line and the exit code is non-zero. */
public final class CtlException extends RuntimeException {
    public CtlException(String message) {
        super(message);
    }

    public CtlException(String message, Throwable cause) {
        super(message, cause);
    }
}
