package io.pgha.agent.rest;

import io.pgha.agent.ha.ReplicationRow;
import java.util.List;
import java.util.Map;

/**
 * What the agent knows about its own member at one instant: the input of every REST health rule and
 * of GET /patroni. Built by the HA loop after each cycle (and after PostgreSQL probes); immutable.
 *
 * <p>Nullable boxed fields are "unknown / not applicable" and are left out of the JSON.
 */
public record NodeStatus(
        String scope,
        String name,
        String agentVersion,
        /** PostgreSQL state as Patroni names it: running, starting, stopped, crashed, creating replica… */
        String state,
        /** master | replica | demoted | uninitialized (Patroni 3.x spelling). */
        String role,
        String postmasterStartTime,
        Integer serverVersion,
        /** Primary only: pg_current_wal_flush_lsn() in bytes. */
        Long xlogLocation,
        /** Replica only. */
        Long receivedLocation,
        Long replayedLocation,
        String replayedTimestamp,
        Boolean replayPaused,
        Integer timeline,
        /** Replica only: streaming | in archive recovery. */
        String replicationState,
        List<ReplicationRow> replication,
        /** This member holds the leader key in the last DCS view. */
        boolean holdsLeaderLock,
        /** No leader key in the last DCS view (or no view at all). */
        boolean clusterUnlocked,
        boolean paused,
        /** Synchronous mode is on and this member is listed in the sync key. */
        boolean syncStandby,
        /** Leader's WAL position published in the status key (cluster "last LSN"), if known. */
        Long clusterOptime,
        /** Epoch seconds of the last successful DCS read. */
        long dcsLastSeen,
        /** The cached DCS view is younger than ttl. */
        boolean dcsViewValid,
        String systemIdentifier,
        /** Configured tags, as Patroni publishes them (booleans only when true). */
        Map<String, Object> tags,
        boolean pendingRestart,
        /** Epoch millis when the last HA cycle started, and the timing needed to judge liveness. */
        long lastLoopStartMillis,
        int loopWaitSeconds,
        int ttlSeconds,
        /** Why the fence or the watchdog cannot be trusted (Patroni's watchdog_failed), or null while they work. */
        String safetyFault) {

    /** This status as seen once the lease behind the leader lock can no longer be vouched for. */
    public NodeStatus withoutLeaderLock() {
        return new NodeStatus(scope, name, agentVersion, state, role, postmasterStartTime, serverVersion, xlogLocation,
                receivedLocation, replayedLocation, replayedTimestamp, replayPaused, timeline, replicationState,
                replication, false, clusterUnlocked, paused, syncStandby, clusterOptime, dcsLastSeen, dcsViewValid,
                systemIdentifier, tags, pendingRestart, lastLoopStartMillis, loopWaitSeconds, ttlSeconds, safetyFault);
    }

    /** This status with WAL positions read just now (primary: flush location; replica: received and replayed). */
    public NodeStatus withPositions(boolean inRecovery, long flush, long received, long replayed) {
        return new NodeStatus(scope, name, agentVersion, state, role, postmasterStartTime, serverVersion,
                inRecovery ? null : (Long) flush, inRecovery ? (Long) received : null, inRecovery ? (Long) replayed : null,
                replayedTimestamp, replayPaused, timeline, replicationState, replication, holdsLeaderLock, clusterUnlocked,
                paused, syncStandby, clusterOptime, dcsLastSeen, dcsViewValid, systemIdentifier, tags, pendingRestart,
                lastLoopStartMillis, loopWaitSeconds, ttlSeconds, safetyFault);
    }

    public boolean isRunning() {
        return "running".equals(state);
    }

    public boolean isPrimaryRole() {
        return "master".equals(role);
    }
}
