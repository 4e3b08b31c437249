package io.pgha.agent.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;

/**
 * Reads a request's JSON body the way Patroni's handlers do: 411 without a length, 400 when unreadable. The
 * body is always a JSON object, and a key given twice is refused: which of the two would count is not obvious
 * to the caller (Python keeps the last one, a validator may have looked at the first), and so is anything after the object.
 */
final class JsonBody {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBody() {}

    /**
     * The body, or null with {@code error[0]} set to the reply to send. An optional empty body reads as {};
     * anything but an object is refused (400).
     */
    static JsonNode read(RestRequest req, boolean optional, RestReply[] error) {
        boolean hasLength = header(req, "Content-Length") != null;
        if (req.body().length == 0) {
            if (optional) {
                return JSON.createObjectNode();
            }
            error[0] = hasLength ? RestReply.text(400, "Bad Request: empty body") : RestReply.text(411, "Content-Length required");
            return null;
        }
        try {
            JsonNode n = JSON.readTree(req.body());
            if (n == null || !n.isObject()) {
                error[0] = RestReply.text(400, "Bad Request: a JSON object is expected");
                return null;
            }
            return n;
        } catch (IOException e) {
            error[0] = RestReply.text(400, "Bad Request: the body is not valid JSON");
            return null;
        }
    }

    static String header(RestRequest req, String name) {
        for (var e : req.headers().entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                List<String> v = e.getValue();
                return v == null || v.isEmpty() ? null : v.get(0);
            }
        }
        return null;
    }

    static RestReply json(int status, JsonNode n) {
        try {
            return RestReply.json(status, JSON.writeValueAsBytes(n));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
