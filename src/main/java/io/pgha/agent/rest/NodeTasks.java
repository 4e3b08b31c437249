package io.pgha.agent.rest;

/**
 * The node operations behind POST/DELETE /restart, POST /reinitialize and POST /reload. The agent runs them
 * on its HA thread (never concurrently with a decision); each returns the reply Patroni gives.
 */
public interface NodeTasks {

    /** Restarts now (waiting for the outcome) or schedules it; the request is already validated. */
    RestReply restart(RestartRequest request);

    RestReply cancelScheduledRestart();

    RestReply reinitialize(boolean force);

    RestReply reload();

    /** Whether failsafe_mode is on: Patroni answers POST /failsafe 502 before it looks at the body. */
    boolean failsafeMode();

    /**
     * POST /failsafe from a primary that cannot reach the DCS (body already parsed): 200 "Accepted", 500
     * "Running as a leader", or 502 when failsafe mode is off.
     */
    RestReply failsafe(com.fasterxml.jackson.databind.JsonNode body);
}
