package io.pgha.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pgha.config.DcsTiming;
import io.pgha.config.DynamicConfigValidator;
import io.pgha.config.GucCatalog;
import io.pgha.contract.PatroniBool;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide settings from the DCS {@code config} key (or, before it exists, bootstrap.dcs), with
 * pgha's defaults. The REST API and edit-config refuse invalid values, but the key can be written around
 * them (etcdctl, an old patronictl): an invalid value never reaches the loop or postgresql.conf; the last
 * valid value of that setting is kept instead (the default when there is none), and one line names them.
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
    public static final int DEFAULT_TTL = DcsTiming.PGHA_DEFAULT.ttl();
    public static final int DEFAULT_LOOP_WAIT = DcsTiming.PGHA_DEFAULT.loopWait();
    public static final int DEFAULT_RETRY_TIMEOUT = DcsTiming.PGHA_DEFAULT.retryTimeout();
    public static final long DEFAULT_MAX_LAG = 1_048_576L;

    /** pgha's defaults, the fallback of every setting that has never had a valid value. */
    public static final DynamicConfig DEFAULTS = new DynamicConfig(DEFAULT_TTL, DEFAULT_LOOP_WAIT, DEFAULT_RETRY_TIMEOUT,
            DEFAULT_MAX_LAG, true, true, Map.of(), Sync.OFF, false);

    public static DynamicConfig from(JsonNode config) {
        return from(config, DEFAULTS, "");
    }

    /**
     * @param previous the settings in force (their values replace invalid ones); {@link #DEFAULTS} at start
     * @param log      the member's log prefix, "[scope/name] "
     */
    public static DynamicConfig from(JsonNode config, DynamicConfig previous, String log) {
        JsonNode c = config == null || !config.isObject() ? JsonNodeFactory.instance.objectNode() : config;
        DynamicConfig last = previous == null ? DEFAULTS : previous;
        DynamicConfigValidator.Verdict verdict = DynamicConfigValidator.validate(c, GucCatalog.NONE);
        if (!verdict.ok()) {
            LOG.warn("{}DCS config key: {}; keeping the last valid value of each", log, verdict.message());
        }
        Reader r = new Reader(c);
        JsonNode pg = c.path("postgresql");
        int[] timing = timing(r, last);
        boolean syncMode = r.bool("synchronous_mode", last.sync.mode);
        Sync sync = !syncMode ? Sync.OFF : new Sync(true, r.bool("synchronous_mode_strict", last.sync.strict),
                (int) r.integer("synchronous_node_count", Math.max(1, last.sync.nodeCount)),
                r.integer("maximum_lag_on_syncnode", last.sync.maximumLagOnSyncnode));
        return new DynamicConfig(timing[0], timing[1], timing[2],
                r.integer("maximum_lag_on_failover", last.maximumLagOnFailover),
                // pgha checks timelines by default (Patroni does not): a member that missed the last promotion
                // must never win an election, even when every up-to-date member is down at that moment
                r.bool("check_timeline", last.checkTimeline), r.bool("postgresql.use_pg_rewind", last.usePgRewind),
                parameters(pg.path("parameters"), last.parameters), sync, r.bool("failsafe_mode", last.failsafeMode));
    }

    /** The three together: one invalid value, or values that break the rule, keep the timing in force. */
    private static int[] timing(Reader r, DynamicConfig last) {
        int[] kept = {last.ttl, last.loopWait, last.retryTimeout};
        if (!r.valid("ttl") || !r.valid("loop_wait") || !r.valid("retry_timeout")) {
            return kept;
        }
        long ttl = r.integer("ttl", DEFAULT_TTL);
        long loop = r.integer("loop_wait", DEFAULT_LOOP_WAIT);
        long retry = r.integer("retry_timeout", DEFAULT_RETRY_TIMEOUT);
        return DcsTiming.problem(ttl, loop, retry) == null ? new int[] {(int) ttl, (int) loop, (int) retry} : kept;
    }

    /** Valid parameters as given; an invalid one keeps its last value (or stays out); null unsets. */
    private static Map<String, String> parameters(JsonNode params, Map<String, String> last) {
        if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
            return last; // postgresql or postgresql.parameters is not a mapping
        }
        Map<String, String> out = new LinkedHashMap<>();
        params.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                return;
            }
            if (DynamicConfigValidator.parameterProblem(e.getKey(), e.getValue(), Optional.empty()) == null) {
                out.put(e.getKey(), DynamicConfigValidator.confValue(e.getValue()));
            } else if (last.containsKey(e.getKey())) {
                out.put(e.getKey(), last.get(e.getKey()));
            }
        });
        return Map.copyOf(out);
    }

    /** Reads top-level (and postgresql.*) settings: absent gives the default, invalid the last valid value. */
    private record Reader(JsonNode c) {
        private JsonNode node(String key) {
            return key.startsWith("postgresql.") ? c.path("postgresql").get(key.substring(11)) : c.get(key);
        }

        boolean valid(String key) {
            JsonNode pg = c.get("postgresql");
            if (key.startsWith("postgresql.") && pg != null && !pg.isNull() && !pg.isObject()) {
                return false;
            }
            return DynamicConfigValidator.fieldProblem(key, node(key)) == null;
        }

        private boolean absent(String key) {
            JsonNode v = node(key);
            return v == null || v.isNull();
        }

        long integer(String key, long last) {
            if (!valid(key)) {
                return last;
            }
            return absent(key) ? defaultOf(key) : DynamicConfigValidator.integer(node(key));
        }

        boolean bool(String key, boolean last) {
            if (!valid(key)) {
                return last;
            }
            return absent(key) ? defaultFlag(key) : PatroniBool.parse(node(key));
        }

        private static long defaultOf(String key) {
            return switch (key) {
                case "ttl" -> DEFAULT_TTL;
                case "loop_wait" -> DEFAULT_LOOP_WAIT;
                case "retry_timeout" -> DEFAULT_RETRY_TIMEOUT;
                case "maximum_lag_on_failover" -> DEFAULT_MAX_LAG;
                case "synchronous_node_count" -> 1;
                case "maximum_lag_on_syncnode" -> -1;
                default -> throw new IllegalArgumentException(key);
            };
        }

        private static boolean defaultFlag(String key) {
            return key.equals("check_timeline") || key.equals("postgresql.use_pg_rewind");
        }
    }
}
