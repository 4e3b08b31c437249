package io.pgha.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The few SQL questions {@code pgha local} asks PostgreSQL over JDBC, as the superuser. */
final class PgQueries {

    private final String user;
    private final String password;

    PgQueries(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /** application_name → state of every walsender on the server at {@code port}. */
    Map<String, String> replication(int port) throws SQLException {
        Map<String, String> states = new HashMap<>();
        try (Connection c = connect(port); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT application_name, state FROM pg_stat_replication")) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getString(2));
            }
        }
        return states;
    }

    /** Whether the server behind {@code port} (directly, or through PgBouncer/HAProxy) accepts writes. */
    boolean writable(int port) throws SQLException {
        try (Connection c = connect(port); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT NOT pg_is_in_recovery()")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private Connection connect(int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "3");
        p.setProperty("loginTimeout", "3");
        p.setProperty("socketTimeout", "5");
        p.setProperty("ApplicationName", "pgha-local");
        // through PgBouncer in transaction mode: no server-side prepared statements
        p.setProperty("prepareThreshold", "0");
        return DriverManager.getConnection("jdbc:postgresql://" + LocalLayout.HOST + ":" + port + "/postgres", p);
    }
}
