package io.pgha.agent.rest;

/**
 * Supplies the agent's latest {@link NodeStatus}. Health checks read the cached one; GET /patroni, which peers
 * use to compare WAL positions, asks for {@link #fresh()} positions (as Patroni queries PostgreSQL for it).
 */
@FunctionalInterface
public interface NodeStatusSource {
    NodeStatus current();

    /** The status with WAL positions read from PostgreSQL now, when it can be asked; else the cached one. */
    default NodeStatus fresh() {
        return current();
    }
}
