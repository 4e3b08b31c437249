package io.pgha.operator;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock web server logs every request at INFO through java.util.logging: thousands of lines per test
 * class, and a real cost in time. Tests call {@link #quiet()} before starting it.
 */
public final class MockServerLogs {

    /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final Logger MOCK = Logger.getLogger("io.fabric8.mockwebserver");

    private MockServerLogs() {}

    public static void quiet() {
        MOCK.setLevel(Level.WARNING);
    }
}
