package io.pgha.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.config.AgentSettingsLoader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide settings from the DCS {@code config} key (or, before it exists, bootstrap.dcs), with
 * pgha's defaults and Patroni's timing rule loop_wait + 2·retry_timeout ≤ ttl enforced.
 */
public record DynamicConfig(int ttl, int loopWait, int retryTimeout, long maximumLagOnFailover, boolean checkTimeline,
                            boolean usePgRewind, Map<String, String> parameters, Sync sync, boolean failsafeMode) {

    /**
     * Synchronous replication settings (patroni-compat.md §4). {@code nodeCount} is already raised to 1 in strict
     * mode; {@code maximumLagOnSyncnode} is -1 when off.
     */
    public record Sync(boolean mode, boolean strict, int nodeCount, long maximumLagOnSyncnode) {
        public static final Sync OFF = new Sync(false, false, 1, -1);
    }
    private static final Logger LOG = LoggerFactory.getLogger(DynamicConfig.class);

    /** pgha's default timing: a failover in about ttl seconds, renewals every second. */
    public static final int DEFAULT_TTL = 6;
    public static final int DEFAULT_LOOP_WAIT = 1;
    public static final int DEFAULT_RETRY_TIMEOUT = 2;
    public static final long DEFAULT_MAX_LAG = 1_048_576L;

    public static DynamicConfig from(JsonNode config) {
        JsonNode c = config == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : config;
        int ttl = Math.max(3, c.path("ttl").asInt(DEFAULT_TTL)); // below 3 s loop_wait + 2 x retry_timeout cannot fit
        int loopWait = Math.max(1, c.path("loop_wait").asInt(DEFAULT_LOOP_WAIT));
        int retry = Math.max(1, c.path("retry_timeout").asInt(DEFAULT_RETRY_TIMEOUT));
        if (loopWait + 2 * retry > ttl) {
            // same repair as Patroni 3.2: a leader must be able to notice a failed renewal before its lease ends
            int fixedLoop = Math.max(1, ttl - 2 * retry);
            int fixedRetry = loopWait + 2 * retry > ttl && fixedLoop == 1 ? Math.max(1, (ttl - 1) / 2) : retry;
            LOG.warn("loop_wait {} + 2 x retry_timeout {} > ttl {}: using loop_wait {} and retry_timeout {}",
                    loopWait, retry, ttl, fixedLoop, fixedRetry);
            loopWait = fixedLoop;
            retry = fixedRetry;
        }
        Map<String, String> params = new LinkedHashMap<>();
        c.path("postgresql").path("parameters").fields().forEachRemaining(e ->
                params.put(e.getKey(), e.getValue().isBoolean() ? (e.getValue().asBoolean() ? "on" : "off") : e.getValue().asText()));
        JsonNode pg = c.path("postgresql");
        return new DynamicConfig(ttl, loopWait, retry, c.path("maximum_lag_on_failover").asLong(DEFAULT_MAX_LAG),
                // pgha checks timelines by default (Patroni does not): a member that missed the last promotion
                // must never win an election, even when every up-to-date member is down at that moment
                !c.has("check_timeline") || AgentSettingsLoader.lenient(c.get("check_timeline")),
                !pg.has("use_pg_rewind") || AgentSettingsLoader.lenient(pg.get("use_pg_rewind")), Map.copyOf(params),
                syncOf(c), AgentSettingsLoader.lenient(c.get("failsafe_mode")));
    }

    private static Sync syncOf(JsonNode c) {
        boolean mode = AgentSettingsLoader.lenient(c.get("synchronous_mode"));
        boolean strict = mode && AgentSettingsLoader.lenient(c.get("synchronous_mode_strict"));
        int count = Math.max(1, c.path("synchronous_node_count").asInt(1));
        return mode ? new Sync(true, strict, count, c.path("maximum_lag_on_syncnode").asLong(-1)) : Sync.OFF;
    }
}
