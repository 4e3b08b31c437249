package io.pgha.agent.rest;

import io.pgha.contract.AgentInfo;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * GET /metrics in Prometheus text format: Patroni's metric names and labels (patroni-compat.md §5.4), so
 * existing dashboards work, then pgha's own (loop timing, DCS errors, lease renewals, decisions by kind).
 */
public final class MetricsText {

    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]xxx");

    private MetricsText() {}

    public static String render(NodeStatus s, AgentCounters c, long nowMillis) {
        StringBuilder b = new StringBuilder(4096);
        String l = "{scope=\"" + esc(s.scope()) + "\",name=\"" + esc(s.name()) + "\"}";
        gauge(b, "patroni_version", "Patroni semver without periods.", l, patroniVersion());
        gauge(b, "patroni_postgres_running", "Value is 1 if Postgres is running, 0 otherwise.", l, s.isRunning() ? 1 : 0);
        gauge(b, "patroni_postmaster_start_time", "Epoch seconds since Postgres started.", l, startTime(s.postmasterStartTime()));
        boolean primary = s.holdsLeaderLock() && s.isPrimaryRole();
        gauge(b, "patroni_master", "Value is 1 if this node is the leader, 0 otherwise.", l, primary ? 1 : 0);
        gauge(b, "patroni_primary", "Value is 1 if this node is the leader, 0 otherwise.", l, primary ? 1 : 0);
        gauge(b, "patroni_xlog_location", "Current location of the Postgres transaction log, 0 if this node is not the leader.", l,
                primary && s.xlogLocation() != null ? s.xlogLocation() : 0);
        gauge(b, "patroni_standby_leader", "Value is 1 if this node is the standby_leader, 0 otherwise.", l, 0);
        boolean replica = "replica".equals(s.role()) && s.isRunning();
        gauge(b, "patroni_replica", "Value is 1 if this node is a replica, 0 otherwise.", l, replica ? 1 : 0);
        gauge(b, "patroni_sync_standby", "Value is 1 if this node is a sync standby replica, 0 otherwise.", l, s.syncStandby() ? 1 : 0);
        gauge(b, "patroni_xlog_received_location", "Current location of the received Postgres transaction log, 0 if this node is not a replica.", l,
                replica && s.receivedLocation() != null ? s.receivedLocation() : 0);
        gauge(b, "patroni_xlog_replayed_location", "Current location of the replayed Postgres transaction log, 0 if this node is not a replica.", l,
                replica && s.replayedLocation() != null ? s.replayedLocation() : 0);
        gauge(b, "patroni_xlog_replayed_timestamp", "Current timestamp of the replayed Postgres transaction log, 0 if null.", l,
                startTime(s.replayedTimestamp()));
        gauge(b, "patroni_xlog_paused", "Value is 1 if the Postgres xlog is paused, 0 otherwise.", l,
                Boolean.TRUE.equals(s.replayPaused()) ? 1 : 0);
        gauge(b, "patroni_postgres_streaming", "Value is 1 if Postgres is streaming, 0 otherwise.", l,
                "streaming".equals(s.replicationState()) ? 1 : 0);
        gauge(b, "patroni_postgres_in_archive_recovery", "Value is 1 if Postgres is replicating from archive, 0 otherwise.", l,
                "in archive recovery".equals(s.replicationState()) ? 1 : 0);
        gauge(b, "patroni_postgres_server_version", "Version of Postgres (if running), 0 otherwise.", l,
                s.serverVersion() == null ? 0 : s.serverVersion());
        gauge(b, "patroni_cluster_unlocked", "Value is 1 if the cluster is unlocked, 0 if locked.", l, s.clusterUnlocked() ? 1 : 0);
        gauge(b, "patroni_failsafe_mode_is_active", "Value is 1 if failsafe mode is active, 0 if inactive.", l,
                c != null && c.failsafeActive() ? 1 : 0);
        gauge(b, "patroni_postgres_timeline", "Postgres timeline of this node (if running), 0 otherwise.", l,
                s.timeline() == null ? 0 : s.timeline());
        gauge(b, "patroni_dcs_last_seen", "Epoch timestamp when DCS was last contacted successfully by Patroni.", l, s.dcsLastSeen());
        gauge(b, "patroni_pending_restart", "Value is 1 if the node needs a restart, 0 otherwise.", l, s.pendingRestart() ? 1 : 0);
        gauge(b, "patroni_is_paused", "Value is 1 if auto failover is disabled, 0 otherwise.", l, s.paused() ? 1 : 0);

        counter(b, "pgha_ha_loops_total", "HA loop cycles run.", l, c.loops());
        counter(b, "pgha_ha_loop_seconds_total", "Time spent in HA loop cycles.", l, c.loopMillisTotal() / 1000.0);
        gauge(b, "pgha_ha_loop_last_seconds", "Duration of the last HA loop cycle.", l, c.lastLoopMillis() / 1000.0);
        gauge(b, "pgha_ha_loop_age_seconds", "Seconds since the last HA loop cycle started.", l,
                s.lastLoopStartMillis() == 0 ? 0 : (nowMillis - s.lastLoopStartMillis()) / 1000.0);
        counter(b, "pgha_dcs_errors_total", "Failed reads of the DCS.", l, c.dcsErrors());
        counter(b, "pgha_lease_renewals_total", "Successful renewals of the leader lock.", l, c.leaseRenewals());
        counter(b, "pgha_lease_renewal_failures_total", "Failed renewals of the leader lock.", l, c.leaseRenewalFailures());
        gauge(b, "pgha_safety_fault", "Value is 1 while the fence thread or the external watchdog cannot be trusted"
                + " (the member then leaves leadership), 0 otherwise.", l, s.safetyFault() == null ? 0 : 1);
        counter(b, "pgha_safety_faults_total", "Faults of the fence thread or the external watchdog seen.", l, c.safetyFaults());
        b.append("# HELP pgha_decisions_total HA decisions taken, by action.\n# TYPE pgha_decisions_total counter\n");
        c.decisions().forEach((action, n) -> b.append("pgha_decisions_total{scope=\"").append(esc(s.scope()))
                .append("\",name=\"").append(esc(s.name())).append("\",action=\"").append(action).append("\"} ").append(n).append('\n'));
        return b.toString();
    }

    /** "3.0.2" → 30002, as Patroni reports its own version. */
    private static long patroniVersion() {
        String[] p = AgentInfo.PATRONI_COMPAT_VERSION.split("\\.");
        return Long.parseLong(p[0]) * 10000 + Long.parseLong(p[1]) * 100 + Long.parseLong(p[2]);
    }

    private static double startTime(String pgTime) {
        if (pgTime == null) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(pgTime, PG_TIME).toInstant().toEpochMilli() / 1000.0;
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static void gauge(StringBuilder b, String name, String help, String labels, double v) {
        metric(b, "gauge", name, help, labels, v);
    }

    private static void counter(StringBuilder b, String name, String help, String labels, double v) {
        metric(b, "counter", name, help, labels, v);
    }

    private static void metric(StringBuilder b, String type, String name, String help, String labels, double v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        b.append(name).append(labels).append(' ');
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            b.append((long) v);
        } else {
            b.append(v);
        }
        b.append('\n');
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
