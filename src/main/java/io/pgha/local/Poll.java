package io.pgha.local;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for conditions on other processes, and plain waits where something has a fixed length. */
public final class Poll {

    private Poll() {}

    /** Checks {@code condition} every {@code interval} until it holds (true) or {@code timeout} passes (false). */
    public static boolean until(Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            pause(interval);
        }
    }

    public static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LocalException.failed("interrupted");
        }
    }
}
