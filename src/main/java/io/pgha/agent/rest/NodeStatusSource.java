package io.pgha.agent.rest;

/** Supplies the agent's latest {@link NodeStatus}; the REST API never touches the DCS or PostgreSQL itself. */
@FunctionalInterface
public interface NodeStatusSource {
    NodeStatus current();
}
