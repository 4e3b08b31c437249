package io.pgha.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/**
 * JDBC connections of the harness, as the cluster's superuser over TCP to 127.0.0.1. No statement_timeout,
 * no socket timeout and never a cancel request: a commit that waits (for a synchronous standby) is left
 * waiting, because cancelling that wait would make the commit visible locally without its replication.
 * Only connecting has a time limit.
 */
final class Sql {

    private final String user;
    private final String password;

    Sql(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /**
     * @param pooled the port is PgBouncer's (transaction pooling), directly or behind HAProxy: no
     *               server-side prepared statements
     */
    Connection connect(int port, String applicationName, int connectTimeoutSeconds, boolean pooled) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
        p.setProperty("loginTimeout", Integer.toString(connectTimeoutSeconds + 1));
        p.setProperty("socketTimeout", "0");
        p.setProperty("cancelSignalTimeout", "0");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("sslmode", "disable");
        if (pooled) {
            p.setProperty("prepareThreshold", "0");
        }
        Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
        c.setAutoCommit(true);
        return c;
    }

    /** One line for a log: SQLSTATE and the first line of the message. */
    static String describe(SQLException e) {
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        return (e.getSQLState() == null ? "" : e.getSQLState() + " ") + (message.length() > 160 ? message.substring(0, 160) : message);
    }

    /** Closes a connection that failed; if closing fails too, that is reported in the returned text. */
    static String closeBroken(Connection c) {
        if (c == null) {
            return "";
        }
        try {
            c.close();
            return "";
        } catch (SQLException e) {
            return "; closing it failed too: " + describe(e);
        }
    }

    /** At the very end of a run: drops a connection even while a commit still waits on it. */
    static void abandon(Connection c, String who) {
        if (c == null) {
            return;
        }
        try {
            c.abort(Runnable::run);
        } catch (SQLException e) {
            LoggerFactory.getLogger(Sql.class).warn("{}: abandoning the connection failed: {}", who, describe(e));
        }
    }
}
