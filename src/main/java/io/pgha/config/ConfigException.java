package io.pgha.config;

/** A configuration problem the user must fix; its message is shown as is. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
