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
}
