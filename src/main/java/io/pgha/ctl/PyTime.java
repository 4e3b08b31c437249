package io.pgha.ctl;

import io.pgha.contract.PyIsoTime;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times as patronictl reads and prints them; the Python formats themselves are {@link PyIsoTime}. */
public final class PyTime {

    private PyTime() {}

    /** datetime.isoformat(): microseconds only when non-zero, offset as +HH:MM. */
    public static String isoformat(OffsetDateTime t) {
        return PyIsoTime.isoformat(t);
    }

    /**
     * A --scheduled value: "now" (or nothing) is null; an ISO-8601 time with or without an offset (a time
     * without one is taken in the local zone, as patronictl does).
     */
    public static OffsetDateTime parseScheduled(String value, ZoneId localZone) {
        try {
            return PyIsoTime.parse(value, localZone);
        } catch (IllegalArgumentException e) {
            throw new CtlException("Unable to parse scheduled timestamp (" + value + "). It should be in an unambiguous format (e.g. ISO 8601)");
        }
    }

    /** A stored scheduled_at value re-printed as patronictl does (parsed, then isoformat), or as is if unparsable. */
    public static String normalize(String stored) {
        return PyIsoTime.normalize(stored);
    }

    /** patronictl's timestamp(): "YYYY-MM-DD HH:MM:SS" plus the first five digits of the microseconds. */
    public static String timestamp(LocalDateTime now, boolean withFraction) {
        String s = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(now);
        return withFraction ? s + String.format(".%06d", now.getNano() / 1000).substring(0, 6) : s;
    }
}
