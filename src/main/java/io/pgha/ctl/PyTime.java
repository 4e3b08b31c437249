package io.pgha.ctl;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Times as patronictl reads and prints them (Python's isoformat and its timestamp() helper). */
public final class PyTime {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx");

    private PyTime() {}

    /** datetime.isoformat(): microseconds only when non-zero, offset as +HH:MM. */
    public static String isoformat(OffsetDateTime t) {
        String s = SECONDS.format(t);
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            s += String.format(".%06d", micros);
        }
        return s + OFFSET.format(t);
    }

    /**
     * A --scheduled value: "now" (or nothing) is null; an ISO-8601 time with or without an offset (a time
     * without one is taken in the local zone, as patronictl does).
     */
    public static OffsetDateTime parseScheduled(String value, ZoneId localZone) {
        if (value == null || value.isBlank() || value.equals("now")) {
            return null;
        }
        String v = value.trim().replace(' ', 'T').replaceFirst("Z$", "+00:00");
        try {
            return OffsetDateTime.parse(v).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(v).atZone(localZone).toOffsetDateTime().truncatedTo(ChronoUnit.MICROS);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(v).atStartOfDay(localZone).toOffsetDateTime();
                } catch (DateTimeParseException notDate) {
                    // fall through to the refusal
                }
            }
        }
        throw new CtlException("Unable to parse scheduled timestamp (" + value + "). It should be in an unambiguous format (e.g. ISO 8601)");
    }

    /** A stored scheduled_at value re-printed as patronictl does (parsed, then isoformat), or as is if unparsable. */
    public static String normalize(String stored) {
        try {
            OffsetDateTime t = parseScheduled(stored, ZoneId.systemDefault());
            return t == null ? stored : isoformat(t);
        } catch (CtlException e) {
            return stored;
        }
    }

    /** patronictl's timestamp(): "YYYY-MM-DD HH:MM:SS" plus the first five digits of the microseconds. */
    public static String timestamp(LocalDateTime now, boolean withFraction) {
        String s = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(now);
        return withFraction ? s + String.format(".%06d", now.getNano() / 1000).substring(0, 6) : s;
    }
}
