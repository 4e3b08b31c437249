package io.pgha.agent.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a byte amount the way Patroni parses {@code ?lag=} (its {@code parse_int(value, 'B')}): an
 * integer (decimal, {@code 0x} hex or leading-zero octal, like strtol) or a decimal fraction, optionally
 * followed by a case-sensitive PostgreSQL memory unit {@code B kB MB GB TB} with base 1024.
 */
final class ByteSize {

    private static final Pattern HEX = Pattern.compile("^([-+]?)0x([0-9a-fA-F]+)");
    private static final Pattern OCT = Pattern.compile("^[-+]?0[0-7]*");
    private static final Pattern DEC = Pattern.compile("^[-+]?(0|[1-9][0-9]*)");
    private static final Pattern DBL = Pattern.compile("^[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?");
    /** Multiplier of each unit; ordered largest first so each unit's next smaller one follows it. */
    private static final Map<String, Long> UNITS = new LinkedHashMap<>();

    static {
        UNITS.put("TB", 1L << 40);
        UNITS.put("GB", 1L << 30);
        UNITS.put("MB", 1L << 20);
        UNITS.put("kB", 1L << 10);
        UNITS.put("B", 1L);
    }

    private ByteSize() {}

    /** @return the amount in bytes, or null when the text is not a size (Patroni then applies no limit) */
    static Long parse(String text) {
        try {
            return parseNumberAndUnit(text.strip());
        } catch (NumberFormatException tooLarge) {
            return null; // more digits than a long holds: not a usable limit, like any other garbage
        }
    }

    private static Long parseNumberAndUnit(String v) {
        Matcher m;
        double number;
        String rest;
        if ((m = HEX.matcher(v)).find()) {
            number = Long.parseLong(m.group(2), 16) * (m.group(1).equals("-") ? -1 : 1);
            rest = v.substring(m.end());
        } else if ((m = OCT.matcher(v)).find() && !continuesAsDecimal(v, m.end())) {
            number = Long.parseLong(m.group(), 8);
            rest = v.substring(m.end());
        } else if ((m = DEC.matcher(v)).find() && !continuesAsDecimal(v, m.end())) {
            number = Long.parseLong(m.group());
            rest = v.substring(m.end());
        } else if ((m = DBL.matcher(v)).find()) {
            number = Double.parseDouble(m.group());
            rest = v.substring(m.end());
        } else {
            return null;
        }
        String unit = rest.strip();
        if (unit.isEmpty()) {
            return Math.round(number);
        }
        return toBytes(number, unit);
    }

    /** A fraction or exponent after the integer part means the whole value is a float (strtod). */
    private static boolean continuesAsDecimal(String v, int end) {
        return end < v.length() && ".eE".indexOf(v.charAt(end)) >= 0;
    }

    private static Long toBytes(double number, String unit) {
        Long multiplier = UNITS.get(unit);
        if (multiplier == null) {
            return null;
        }
        // Patroni rounds a fractional amount to a whole number of the next smaller unit (1.5MB = 1536kB).
        long smaller = multiplier == 1 ? 1 : multiplier >> 10;
        return Math.round(number * multiplier / smaller) * smaller;
    }
}
