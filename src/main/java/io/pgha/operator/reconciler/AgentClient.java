package io.pgha.operator.reconciler;

import io.pgha.config.Credentials;
import java.util.List;
import java.util.Optional;

/**
 * The operator's only way to learn member facts and to move the primary: the agents' Patroni-compatible REST
 * API. The operator never promotes anything itself.
 */
public interface AgentClient {

    /** GET /cluster on one member's agent: every member as the agents see it; empty if it did not answer. */
    Optional<List<MemberReport>> cluster(String host, int port);

    /**
     * POST /switchover {leader, candidate} to the leader's agent, with Patroni's semantics: the leader demotes
     * only if the candidate is a healthy, up-to-date standby.
     *
     * @param login the REST API's Basic-auth login (the agents refuse writes without it), or null
     * @return true when the agent accepted (HTTP 200)
     */
    boolean switchover(String host, int port, Credentials login, String leader, String candidate);

    /**
     * GET /config: the cluster's dynamic configuration; empty when the agent does not answer 200 (the default,
     * for clients that only observe: the dynamic settings are then left as they are).
     */
    default Optional<com.fasterxml.jackson.databind.JsonNode> config(String host, int port) {
        return Optional.empty();
    }

    /** PATCH /config with a JSON merge patch; true when the agent accepted (HTTP 200). */
    default boolean patchConfig(String host, int port, Credentials login, com.fasterxml.jackson.databind.JsonNode patch) {
        return false;
    }

    /**
     * One member as reported by GET /cluster.
     *
     * @param role     primary or replica (Patroni's leader/standby_leader map to primary, sync_standby to replica)
     * @param lagBytes replication lag in bytes; null when unknown (e.g. not streaming)
     */
    record MemberReport(String name, String role, String state, Long timeline, Long lagBytes, boolean pendingRestart) {
        public boolean isPrimary() {
            return "primary".equals(role);
        }

        /** A standby that may take over: streaming or running, and not behind by an unknown amount. */
        public boolean isHealthyStandby() {
            return !isPrimary() && ("streaming".equals(state) || "running".equals(state)) && lagBytes != null;
        }
    }
}
