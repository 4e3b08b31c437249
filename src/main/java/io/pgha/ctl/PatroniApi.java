package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.contract.Member;

/** Calls to a member's REST API, addressed by its api_url as patronictl does. */
public interface PatroniApi {

    /** What came back: the status and the body as text. */
    record Reply(int status, String body) {}

    /**
     * @param endpoint path without the leading slash that replaces api_url's path ("switchover"); null
     *                 calls api_url itself (GET /patroni)
     * @param body     JSON body, or null for none
     * @throws Unreachable when the member cannot be reached or has no api_url
     */
    Reply call(Member member, String method, String endpoint, JsonNode body);

    /** The member did not answer at all (patronictl then falls back to the DCS where it can). */
    final class Unreachable extends RuntimeException {
        public Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
