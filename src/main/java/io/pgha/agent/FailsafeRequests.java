package io.pgha.agent;

import java.util.Map;

/** POST /failsafe to several members at once, each answer within its own timeout; name to "accepted (200)". */
@FunctionalInterface
interface FailsafeRequests {
    Map<String, Boolean> postAll(Map<String, String> nameToUrl, String body, String basicAuth);
}
