package io.pgha.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Patroni's boolean spellings, as its {@code parse_bool} reads them: true/on/yes/1 and false/off/no/0 in any
 * case, as JSON booleans, strings or the numbers 1 and 0. Used wherever a value comes from a Patroni file or key.
 */
public final class PatroniBool {
    private PatroniBool() {}

    /** The value, or null when it is not one of Patroni's boolean spellings (a typo, a list, 2, "maybe"). */
    public static Boolean parse(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (!v.isTextual() && !v.isIntegralNumber()) {
            return null;
        }
        return switch (v.asText().trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> null;
        };
    }

    /** Lenient reading for flags and tags: a true spelling is true, anything else (absent, garbage) is false. */
    public static boolean lenient(JsonNode v) {
        return Boolean.TRUE.equals(parse(v));
    }
}
