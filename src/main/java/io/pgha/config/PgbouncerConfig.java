package io.pgha.config;

import java.util.Objects;

/**
 * One PgBouncer in front of one PostgreSQL: where it listens, where it forwards, its files.
 *
 * @param adminUser       the user allowed to run PgBouncer's admin console (SHOW POOLS …)
 * @param maxClientConn   client connections PgBouncer accepts
 * @param defaultPoolSize server connections per user/database pair
 * @param poolMode        session, transaction or statement
 * @param reservePoolSize extra server connections a pool may use when clients wait (0: none)
 */
public record PgbouncerConfig(
        String listenAddress,
        int listenPort,
        String serverHost,
        int serverPort,
        String authFile,
        String pidFile,
        String logFile,
        String adminUser,
        int maxClientConn,
        int defaultPoolSize,
        String poolMode,
        int reservePoolSize) {

    /** Transaction pooling without a reserve pool: what {@code pgha local} runs. */
    public PgbouncerConfig(String listenAddress, int listenPort, String serverHost, int serverPort, String authFile,
                           String pidFile, String logFile, String adminUser, int maxClientConn, int defaultPoolSize) {
        this(listenAddress, listenPort, serverHost, serverPort, authFile, pidFile, logFile, adminUser, maxClientConn,
                defaultPoolSize, "transaction", 0);
    }

    public PgbouncerConfig {
        for (String v : new String[] {listenAddress, serverHost, authFile, pidFile, logFile, adminUser}) {
            Objects.requireNonNull(v, "PgBouncer setting");
            if (v.isBlank() || v.contains("\n") || v.contains("\r")) {
                throw new IllegalArgumentException("PgBouncer setting must be one non-blank line: '" + v + "'");
            }
        }
        if (maxClientConn < 1 || defaultPoolSize < 1) {
            throw new IllegalArgumentException("PgBouncer max_client_conn and default_pool_size must be positive");
        }
        if (!java.util.Set.of("session", "transaction", "statement").contains(poolMode)) {
            throw new IllegalArgumentException("PgBouncer pool_mode must be session, transaction or statement: " + poolMode);
        }
        if (reservePoolSize < 0) {
            throw new IllegalArgumentException("PgBouncer reserve_pool_size must not be negative");
        }
    }
}
