package io.pgha.agent.dcs;

/** The DCS could not be read or written in time; the HA logic treats every cause alike. */
public final class DcsException extends Exception {
    public DcsException(String message, Throwable cause) {
        super(message, cause);
    }
}
