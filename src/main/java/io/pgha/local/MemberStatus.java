package io.pgha.local;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One row of {@code pgha local status}: a member as its agent's GET /patroni describes it.
 *
 * @param reachable false when the agent did not answer (then only name and host are known)
 * @param location  a primary's xlog.location, or a replica's max(received_location, replayed_location); null if unknown
 */
public record MemberStatus(String name, String host, boolean reachable, boolean leader, String state,
                           Integer timeline, Long location) {

    static MemberStatus unreachable(String name, String host) {
        return new MemberStatus(name, host, false, false, "unreachable", null, null);
    }

    /** Reads the node status JSON of GET /patroni (role master ⇒ leader). */
    static MemberStatus fromPatroni(String name, String host, JsonNode json) {
        boolean leader = "master".equals(json.path("role").asText()) || "primary".equals(json.path("role").asText());
        JsonNode xlog = json.path("xlog");
        Long location;
        if (leader) {
            location = xlog.hasNonNull("location") ? xlog.get("location").asLong() : null;
        } else if (xlog.hasNonNull("received_location") || xlog.hasNonNull("replayed_location")) {
            location = Math.max(xlog.path("received_location").asLong(0), xlog.path("replayed_location").asLong(0));
        } else {
            location = null;
        }
        Integer timeline = json.hasNonNull("timeline") ? json.get("timeline").asInt() : null;
        return new MemberStatus(name, host, true, leader, json.path("state").asText("unknown"), timeline, location);
    }
}
