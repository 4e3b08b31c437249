package io.pgha.agent.postgres;

import io.pgha.agent.ha.ReplicationRow;
import io.pgha.agent.rest.NodeStatus;
import io.pgha.config.AgentSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** One superuser connection to the local PostgreSQL, reopened on demand. Used only by the HA loop thread. */
public final class PgSession implements SyncProbe, AutoCloseable {
    private static final String STATE_SQL = """
            SELECT pg_is_in_recovery(),
                   CASE WHEN pg_is_in_recovery() THEN 0 ELSE pg_current_wal_flush_lsn() - '0/0' END,
                   COALESCE(pg_last_wal_receive_lsn() - '0/0', 0),
                   COALESCE(pg_last_wal_replay_lsn() - '0/0', 0),
                   to_char(pg_last_xact_replay_timestamp(), 'YYYY-MM-DD HH24:MI:SS.USTZH:TZM'),
                   CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END,
                   CASE WHEN pg_is_in_recovery()
                        THEN COALESCE((SELECT received_tli FROM pg_stat_wal_receiver), (SELECT timeline_id FROM pg_control_checkpoint()))
                        ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END,
                   to_char(pg_postmaster_start_time(), 'YYYY-MM-DD HH24:MI:SS.USTZH:TZM'),
                   current_setting('server_version_num')::int,
                   COALESCE((SELECT status = 'streaming' FROM pg_stat_wal_receiver), false),
                   (SELECT system_identifier::text FROM pg_control_system())
            """;
    private static final String REPLICATION_SQL = """
            SELECT usename, application_name, host(client_addr), state, sync_state, sync_priority,
                   COALESCE(write_lsn - '0/0', 0), COALESCE(flush_lsn - '0/0', 0), COALESCE(replay_lsn - '0/0', 0)
            FROM pg_stat_replication ORDER BY application_name
            """;

    private final String url;
    private final Properties props = new Properties();
    private Connection conn;

    public PgSession(AgentSettings s) {
        this(s, "pgha");
    }

    /** @param applicationName how the connection shows in pg_stat_activity */
    public PgSession(AgentSettings s, String applicationName) {
        this(s, applicationName, s.postgresql().database());
    }

    /** A session to another database of the local PostgreSQL (provisioning extensions there). */
    public PgSession(AgentSettings s, String applicationName, String database) {
        AgentSettings.HostPort hp = s.postgresql().listen();
        String host = hp.host().equals("0.0.0.0") || hp.host().equals("*") ? "127.0.0.1" : hp.host();
        this.url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + hp.port() + "/" + database;
        props.setProperty("user", s.postgresql().superuser().username());
        props.setProperty("password", s.postgresql().superuser().password());
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "10");
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("tcpKeepAlive", "true");
        // the agent talks to its own PostgreSQL: TLS would only load ~250 more classes into every agent
        props.setProperty("sslmode", "disable");
        // the agent's own writes (roles, databases, extensions) are idempotent and redone by every new leader:
        // waiting for a synchronous standby would block the loop that names one (strict mode, bootstrap)
        props.setProperty("options", "-c synchronous_commit=local");
    }

    public Connection connection() throws SQLException {
        if (conn == null || conn.isClosed()) {
            conn = DriverManager.getConnection(url, props);
            conn.setAutoCommit(true);
        }
        return conn;
    }

    public PgSnapshot snapshot() throws SQLException {
        try (Statement st = connection().createStatement(); ResultSet rs = st.executeQuery(STATE_SQL)) {
            rs.next();
            boolean inRecovery = rs.getBoolean(1);
            List<ReplicationRow> rows = inRecovery ? List.of() : replication();
            return new PgSnapshot(inRecovery, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                    rs.getBoolean(6), rs.getInt(7), rs.getString(8), rs.getInt(9), rs.getBoolean(10), rs.getString(11), rows);
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    private List<ReplicationRow> replication() throws SQLException {
        List<ReplicationRow> rows = new ArrayList<>();
        try (Statement st = connection().createStatement(); ResultSet rs = st.executeQuery(REPLICATION_SQL)) {
            while (rs.next()) {
                rows.add(new ReplicationRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)));
            }
        }
        return rows;
    }

    public void execute(String sql) throws SQLException {
        try (Statement st = connection().createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** Parameters changed in the configuration that only take effect after a restart (pg_settings.pending_restart). */
    public boolean pendingRestart() throws SQLException {
        try (Statement st = connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) > 0 FROM pg_settings WHERE pending_restart")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * The WAL positions right now: {in recovery (1/0), flush location (primary), received, replayed} in bytes;
     * what GET /patroni reports to peers comparing positions during elections and switchovers.
     */
    public long[] walPositions() throws SQLException {
        try (Statement st = connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(),"
                     + " CASE WHEN pg_is_in_recovery() THEN 0 ELSE pg_current_wal_flush_lsn() - '0/0' END,"
                     + " COALESCE(pg_last_wal_receive_lsn() - '0/0', 0), COALESCE(pg_last_wal_replay_lsn() - '0/0', 0)")) {
            rs.next();
            return new long[] {rs.getBoolean(1) ? 1 : 0, rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** The primary's WAL flush position in bytes. */
    @Override
    public long currentFlushLsn() throws SQLException {
        try (Statement st = connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_current_wal_flush_lsn() - '0/0'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /**
     * What the checkpointer waits on (pg_stat_activity.wait_event): "CheckpointerMain" while it idles between
     * checkpoints, something else (or null) while it works on one; null also when it cannot be seen.
     */
    @Override
    public String checkpointerWaitEvent() throws SQLException {
        try (Statement st = connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT wait_event FROM pg_stat_activity WHERE backend_type = 'checkpointer'")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** True when the query returns at least one row. */
    public boolean exists(String sql, String parameter) throws SQLException {
        try (java.sql.PreparedStatement ps = connection().prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    public boolean inRecovery() throws SQLException {
        try (Statement st = connection().createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /** Physical slots present on this server. */
    public List<String> physicalSlots() throws SQLException {
        List<String> slots = new ArrayList<>();
        try (Statement st = connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE slot_type = 'physical' AND NOT temporary")) {
            while (rs.next()) {
                slots.add(rs.getString(1));
            }
        }
        return slots;
    }

    @Override
    public void close() {
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException e) {
                // the connection is being discarded because it failed; nothing more to do with it
                conn = null;
            }
            conn = null;
        }
    }
}
