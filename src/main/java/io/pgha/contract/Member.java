package io.pgha.contract;

import com.fasterxml.jackson.databind.JsonNode;

/** A members/&lt;name&gt; key: Patroni's member JSON plus the lease it lives on. */
public record Member(String name, JsonNode data, long leaseId) {

    public String apiUrl() {
        return text("api_url");
    }

    public String connUrl() {
        return text("conn_url");
    }

    public String role() {
        return text("role");
    }

    public String state() {
        return text("state");
    }

    /** xlog_location in bytes, or -1 when absent. */
    public long xlogLocation() {
        JsonNode v = data.get("xlog_location");
        return v != null && v.canConvertToLong() ? v.asLong() : -1;
    }

    public int timeline() {
        JsonNode v = data.get("timeline");
        return v != null && v.canConvertToInt() ? v.asInt() : 0;
    }

    public boolean tag(String name) {
        JsonNode tags = data.get("tags");
        return tags != null && PatroniBool.lenient(tags.get(name));
    }

    public boolean isRunning() {
        return "running".equals(state());
    }

    private String text(String key) {
        JsonNode v = data.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
