package io.pgha.config;

import java.util.Locale;

/**
 * The replication settings seeded into bootstrap.dcs: Patroni's synchronous_mode, synchronous_mode_strict and
 * synchronous_node_count, and failsafe_mode. {@code pgha local --replication} and the operator's
 * spec.replication.mode name them async, sync or strict-sync.
 */
public record DcsReplication(boolean synchronousMode, boolean strict, int nodeCount, boolean failsafe) {

    public static final DcsReplication ASYNC = new DcsReplication(false, false, 1, false);

    public DcsReplication {
        if (nodeCount < 1) {
            throw new IllegalArgumentException("synchronous_node_count must be at least 1, got " + nodeCount);
        }
        if (strict && !synchronousMode) {
            throw new IllegalArgumentException("strict synchronous mode needs synchronous mode");
        }
    }

    /** @param mode async, sync or strict-sync (any case) */
    public static DcsReplication of(String mode, int syncStandbys, boolean failsafe) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "async" -> new DcsReplication(false, false, 1, failsafe);
            case "sync" -> new DcsReplication(true, false, syncStandbys, failsafe);
            case "strict-sync", "strict_sync" -> new DcsReplication(true, true, syncStandbys, failsafe);
            default -> throw new IllegalArgumentException("replication mode must be async, sync or strict-sync, got '" + mode + "'");
        };
    }

    public String modeName() {
        return !synchronousMode ? "async" : strict ? "strict-sync" : "sync";
    }
}
