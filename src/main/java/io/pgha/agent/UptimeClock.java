package io.pgha.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Converts a moment of {@link System#nanoTime()} into milliseconds of {@code /proc/uptime}, the monotonic clock
 * the external watchdog script can read without forking. The offset between the two clocks is measured afresh
 * on every conversion. /proc/uptime has a 10 ms resolution and is truncated, so the offset is rounded down and
 * another 10 ms are taken off: a converted deadline is never later than the one meant, at most 20 ms earlier.
 */
final class UptimeClock {
    private static final Path UPTIME = Path.of("/proc/uptime");

    private UptimeClock() {}

    /** The uptime millisecond at which {@code nanoTimeDeadline} falls; 0 if it has passed or uptime is unreadable. */
    static long toUptimeMillis(long nanoTimeDeadline) {
        long before = System.nanoTime();
        long uptime = uptimeMillis();
        if (uptime < 0) {
            return 0;
        }
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(nanoTimeDeadline - before) - 10;
        return leftMillis <= 0 ? 0 : uptime + leftMillis;
    }

    /** Milliseconds since boot as /proc/uptime tells them (truncated to 10 ms), or -1. */
    static long uptimeMillis() {
        try {
            // readAllLines: a /proc file reports size 0, and a read sized by it can come back short
            String first = Files.readAllLines(UPTIME).get(0).trim().split("\\s+")[0];
            int dot = first.indexOf('.');
            long seconds = Long.parseLong(dot < 0 ? first : first.substring(0, dot));
            long hundredths = dot < 0 ? 0 : Long.parseLong((first.substring(dot + 1) + "00").substring(0, 2));
            return seconds * 1000 + hundredths * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
