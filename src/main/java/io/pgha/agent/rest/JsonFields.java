package io.pgha.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed reads of the fields of a request body. Patroni's handlers take whatever type arrives and Python's
 * truthiness decides (an object as candidate read as "no candidate" and really switched over); here a field
 * of the wrong type refuses the whole request with 400 naming the field. An absent field and JSON null both
 * read as "not given", as in Patroni.
 */
final class JsonFields {

    /** A field of the wrong type; its message names the field and the expected type. */
    static final class WrongType extends Exception {
        WrongType(String field, String expected) {
            super(field + " must be " + expected);
        }

        RestReply reply() {
            return RestReply.text(400, getMessage());
        }
    }

    private JsonFields() {}

    /** The text of a string field, or null when absent or null. */
    static String string(JsonNode body, String field) throws WrongType {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new WrongType(field, "a string");
        }
        return n.textValue();
    }

    /** Like {@link #string} with "" also read as "not given" (Patroni tests such names for truthiness). */
    static String name(JsonNode body, String field) throws WrongType {
        String s = string(body, field);
        return s == null || s.isEmpty() ? null : s;
    }

    /** A boolean field; {@code otherwise} when absent or null. */
    static boolean bool(JsonNode body, String field, boolean otherwise) throws WrongType {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return otherwise;
        }
        if (!n.isBoolean()) {
            throw new WrongType(field, "a boolean");
        }
        return n.booleanValue();
    }

    /** An object field, or null when absent or null. */
    static JsonNode object(JsonNode body, String field) throws WrongType {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new WrongType(field, "an object");
        }
        return n;
    }
}
