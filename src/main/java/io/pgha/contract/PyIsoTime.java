package io.pgha.contract;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Times as Patroni writes and patronictl prints them (Python's datetime.isoformat), shared by the agent (the
 * schedules it stores) and pgha ctl (the ones it reads and prints). Pure.
 */
public final class PyIsoTime {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx");

    private PyIsoTime() {}

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
     * An ISO-8601 time with or without an offset (without one it is taken in {@code localZone}, as patronictl
     * does), or a bare date; null for nothing or "now".
     *
     * @throws IllegalArgumentException when the text is none of these
     */
    public static OffsetDateTime parse(String value, ZoneId localZone) {
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
                    throw new IllegalArgumentException("not a time: " + value, notDate);
                }
            }
        }
    }

    /** A stored schedule re-printed as patronictl does (parsed, then isoformat), or as is if unparsable. */
    public static String normalize(String stored) {
        try {
            OffsetDateTime t = parse(stored, ZoneId.systemDefault());
            return t == null ? stored : isoformat(t);
        } catch (IllegalArgumentException unparsable) {
            return stored;
        }
    }
}
