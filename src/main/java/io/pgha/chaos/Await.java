package io.pgha.chaos;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for a condition on other processes, and plain waits where a fault has a fixed length. */
final class Await {

    private Await() {}

    /** Checks {@code condition} every {@code every} until it holds (true) or {@code timeout} has passed (false). */
    static boolean until(Duration timeout, Duration every, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            pause(every);
        }
    }

    /** Lets {@code d} pass: the length of a fault, or a random offset of its start. */
    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
