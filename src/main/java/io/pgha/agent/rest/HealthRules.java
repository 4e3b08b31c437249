package io.pgha.agent.rest;

import java.util.Map;
import java.util.Set;

/**
 * Patroni's health-check rules (patroni-compat.md §5.2): which HTTP status a GET on a health path answers.
 * Pure: the answer depends only on the arguments, so HAProxy can probe it many times a second for free.
 *
 * <p>Like Patroni, paths are matched by substring in a fixed order ({@code /replica/x} is the replica
 * check, {@code /foo} matches nothing and answers 503); only {@code /} is an alias of {@code /primary}.
 * {@code /liveness} and {@code /readiness} are routed by first path segment, as Patroni routes its
 * dedicated handlers.
 *
 * <p>"Cluster view" below means {@link NodeStatus#dcsViewValid()}: Patroni's cached cluster, which it
 * treats as absent once older than ttl.
 */
public final class HealthRules {

    private static final int OK = 200;
    private static final int UNAVAILABLE = 503;
    private static final String TAG_PREFIX = "tag_";
    private static final Set<String> SYNC_PATHS = Set.of("/sync", "/synchronous");
    private static final Set<String> ASYNC_PATHS = Set.of("/async", "/asynchronous");
    private static final Set<String> READ_ONLY_SYNC_PATHS = Set.of("/read-only-sync", "/read-only-synchronous");

    private HealthRules() {}

    /**
     * @param path      request path without the query string
     * @param query     first value of each query parameter (blank values already dropped, as parse_qs does)
     * @param s         the agent's latest status
     * @param nowMillis wall clock, epoch millis (only /liveness uses it)
     * @return 200 or 503
     */
    public static int statusCode(String path, Map<String, String> query, NodeStatus s, long nowMillis) {
        String first = firstSegment(path);
        if (first.equals("liveness")) {
            return liveness(s, nowMillis);
        }
        if (first.equals("readiness")) {
            return readiness(s);
        }
        return generic(path.equals("/") ? "/primary" : path, query, s);
    }

    /**
     * 200 when paused, or when the next HA cycle (scheduled loop_wait after the last start) is overdue by
     * less than ttl on a running primary, 2×ttl otherwise. I.e. the last cycle started less than
     * loop_wait + ttl (primary) / loop_wait + 2×ttl (replica) ago: replicas may stall longer because a
     * stalled replica agent harms nobody, while a stalled primary agent is about to lose its lease. Always 503
     * while the fence or the watchdog is broken ({@link NodeStatus#safetyFault()}).
     */
    static int liveness(NodeStatus s, long nowMillis) {
        if (s.safetyFault() != null) {
            return UNAVAILABLE; // a broken fence or watchdog: a restart of the agent is the way out (kubelet does it)
        }
        if (s.paused()) {
            return OK;
        }
        long ttlFactor = s.isPrimaryRole() && s.isRunning() ? 1 : 2;
        long deadline = s.lastLoopStartMillis() + (s.loopWaitSeconds() + ttlFactor * s.ttlSeconds()) * 1000L;
        return nowMillis < deadline ? OK : UNAVAILABLE;
    }

    /** 200 when holding the leader lock, or when PostgreSQL runs and the cached cluster view is valid. */
    static int readiness(NodeStatus s) {
        if (s.holdsLeaderLock()) {
            return OK;
        }
        return s.isRunning() && s.dcsViewValid() ? OK : UNAVAILABLE;
    }

    private static int generic(String path, Map<String, String> query, NodeStatus s) {
        Codes c = Codes.of(query, s);
        int code;
        boolean leaderPath = false;
        if (path.contains("standby_leader") || path.contains("standby-leader")) {
            code = c.standbyLeader;
            leaderPath = true;
        } else if (path.contains("leader")) {
            code = c.leader;
            leaderPath = true;
        } else if (path.contains("master") || path.contains("primary") || path.contains("read-write")) {
            code = c.primary;
            leaderPath = true;
        } else if (path.contains("replica")) {
            code = c.replica;
        } else if (path.contains("read-only") && !path.contains("sync")) {
            code = c.primaryOrStandbyLeader() ? OK : c.replica;
        } else if (path.contains("health")) {
            code = s.isRunning() ? OK : UNAVAILABLE;
        } else if (s.dcsViewValid()) {
            code = syncRules(path, s, c);
        } else {
            code = UNAVAILABLE;
        }
        // Tags only filter members that would otherwise take read traffic, never the leader checks.
        if (!leaderPath && code == OK && !TagFilter.matches(query, s.tags())) {
            return UNAVAILABLE;
        }
        return code;
    }

    private static int syncRules(String path, NodeStatus s, Codes c) {
        if (SYNC_PATHS.contains(path)) {
            return s.syncStandby() ? c.replica : UNAVAILABLE;
        }
        if (ASYNC_PATHS.contains(path)) {
            return s.syncStandby() ? UNAVAILABLE : c.replica;
        }
        if (READ_ONLY_SYNC_PATHS.contains(path)) {
            if (c.primaryOrStandbyLeader()) {
                return OK;
            }
            return s.syncStandby() ? c.replica : UNAVAILABLE;
        }
        return UNAVAILABLE;
    }

    static String firstSegment(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.indexOf('/');
        return slash < 0 ? p : p.substring(0, slash);
    }

    /** The four basic answers every path is built from. */
    private record Codes(int leader, int primary, int standbyLeader, int replica) {

        static Codes of(Map<String, String> query, NodeStatus s) {
            int replica = replicaCode(query, s);
            if (s.paused() && !s.dcsViewValid()) {
                // Paused and no cluster view: fall back to what PostgreSQL says it is.
                int primary = isPrimaryRole(s.role()) ? OK : UNAVAILABLE;
                int leader = primary == OK || "standby_leader".equals(s.role()) ? OK : UNAVAILABLE;
                int standbyLeader = "standby_leader".equals(s.role()) ? OK : UNAVAILABLE;
                return new Codes(leader, primary, standbyLeader, replica);
            }
            if (s.holdsLeaderLock()) {
                // pgha has no standby clusters yet, so the lock holder is always a primary.
                return new Codes(OK, OK, UNAVAILABLE, replica);
            }
            return new Codes(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, replica);
        }

        boolean primaryOrStandbyLeader() {
            return primary == OK || standbyLeader == OK;
        }

        private static int replicaCode(Map<String, String> query, NodeStatus s) {
            boolean ok = !TagFilter.isTrue(s.tags() == null ? null : s.tags().get("noloadbalance"))
                    && !isLagging(query.get("lag"), s)
                    && "replica".equals(s.role())
                    && s.isRunning();
            return ok ? OK : UNAVAILABLE;
        }

        /** Lag = cluster optime − my replayed location; no limit given (or unparsable) ⇒ never lagging. */
        private static boolean isLagging(String lagParam, NodeStatus s) {
            Long clusterOptime = s.dcsViewValid() ? s.clusterOptime() : null;
            if (clusterOptime == null || clusterOptime == 0) {
                return false;
            }
            Long maxLag = lagParam == null ? null : ByteSize.parse(lagParam);
            if (maxLag == null) {
                return false;
            }
            long replayed = s.replayedLocation() == null ? 0 : s.replayedLocation();
            return clusterOptime - replayed > maxLag;
        }

        private static boolean isPrimaryRole(String role) {
            return "master".equals(role) || "primary".equals(role);
        }
    }

    /** {@code tag_<k>=<v>} query filters; names outside that prefix are ignored. */
    static final class TagFilter {
        private TagFilter() {}

        static boolean matches(Map<String, String> query, Map<String, Object> tags) {
            for (Map.Entry<String, String> e : query.entrySet()) {
                if (!e.getKey().startsWith(TAG_PREFIX)) {
                    continue;
                }
                Object value = tags == null ? null : tags.get(e.getKey().substring(TAG_PREFIX.length()));
                if (value == null) {
                    return false;
                }
                // Patroni compares str(value).lower() for non-strings: True -> "true".
                String text = value instanceof String str ? str : String.valueOf(value).toLowerCase();
                if (!text.equals(e.getValue())) {
                    return false;
                }
            }
            return true;
        }

        /** Truthiness of a tag value: configuration may carry booleans, "true"/"on"-style text or numbers. */
        static boolean isTrue(Object v) {
            if (v == null) {
                return false;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            if (v instanceof Number n) {
                return n.doubleValue() != 0;
            }
            String t = v.toString().trim().toLowerCase();
            return t.equals("true") || t.equals("on") || t.equals("yes") || t.equals("1");
        }
    }
}
