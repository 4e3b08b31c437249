package io.pgha.chaos;

/**
 * Wall-clock time in microseconds since the epoch, derived from the monotonic clock: every thread of the
 * harness (writer, probers, faults) stamps events with it, so their order and distances are exact even if
 * the system clock is adjusted during a run.
 */
public final class MicroClock {

    private static final long BASE_EPOCH_US = System.currentTimeMillis() * 1000L;
    private static final long BASE_NANOS = System.nanoTime();

    private MicroClock() {}

    public static long nowMicros() {
        return BASE_EPOCH_US + (System.nanoTime() - BASE_NANOS) / 1000L;
    }
}
