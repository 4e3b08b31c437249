package io.pgha.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * Renders pgbouncer.ini and its userlist (auth_file) for one member. Pure: no I/O.
 *
 * <p>Transaction pooling; SCRAM authentication against a userlist that holds plain-text passwords, which
 * PgBouncer needs in order to log in to PostgreSQL with SCRAM on the client's behalf.
 */
public final class PgbouncerConfigRenderer {

    public String render(PgbouncerConfig c) {
        return String.join("\n",
                "; PgBouncer for one pgha member, rendered by pgha.",
                "[databases]",
                "; any database name is forwarded to this member's PostgreSQL",
                "* = host=" + c.serverHost() + " port=" + c.serverPort(),
                "",
                "[pgbouncer]",
                "listen_addr = " + c.listenAddress(),
                "listen_port = " + c.listenPort(),
                "; TCP only: no Unix socket in a shared directory",
                "unix_socket_dir =",
                "auth_type = scram-sha-256",
                "auth_file = " + c.authFile(),
                "admin_users = " + c.adminUser(),
                "pool_mode = " + c.poolMode(),
                "max_client_conn = " + c.maxClientConn(),
                "default_pool_size = " + c.defaultPoolSize() + reservePool(c),
                "; JDBC and some drivers send these; PgBouncer would otherwise refuse the connection",
                "ignore_startup_parameters = extra_float_digits,options",
                "; fail over fast: after PostgreSQL restarts, retry the server login after 250 ms, not 15 s, and do not",
                "; keep clients queued for minutes when the server is gone",
                "server_login_retry = 0.25",
                "server_connect_timeout = 2",
                "query_wait_timeout = 10",
                "pidfile = " + c.pidFile(),
                "logfile = " + c.logFile(),
                "");
    }

    /** A reserve_pool_size line when there is a reserve pool; nothing otherwise (pgha local runs none). */
    private static String reservePool(PgbouncerConfig c) {
        return c.reservePoolSize() > 0 ? "\nreserve_pool_size = " + c.reservePoolSize() : "";
    }

    /** The auth_file: one {@code "user" "password"} line per user, sorted; quotes doubled as PgBouncer expects. */
    public String renderUserlist(Map<String, String> passwordsByUser) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(passwordsByUser).forEach((user, password) ->
                out.append(quoted(user)).append(' ').append(quoted(password)).append('\n'));
        return out.toString();
    }

    private static String quoted(String s) {
        if (s.contains("\n") || s.contains("\r")) {
            throw new IllegalArgumentException("user names and passwords in a PgBouncer userlist must be one line");
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
