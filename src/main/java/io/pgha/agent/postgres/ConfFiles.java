package io.pgha.agent.postgres;

import io.pgha.config.AgentSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the files the agent owns in PGDATA: postgresql.conf (ours; initdb's original is kept as
 * postgresql.base.conf and included first) and pg_hba.conf. Pure: text in, text out.
 */
public final class ConfFiles {
    public static final String BASE_CONF = "postgresql.base.conf";

    /** Parameters the agent needs for replication and failover; user parameters may override the tunables. */
    static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("wal_level", "replica");
        d.put("hot_standby", "on");
        d.put("wal_log_hints", "on");
        d.put("max_wal_senders", "10");
        d.put("max_replication_slots", "10");
        d.put("wal_keep_size", "128MB");
        d.put("max_connections", "100");
        // a standby whose upstream changed reconnects within a second instead of five
        d.put("wal_retrieve_retry_interval", "1s");
        d.put("wal_receiver_status_interval", "1s");
        d.put("hot_standby_feedback", "on");
        return d;
    }

    private ConfFiles() {}

    /**
     * @param dynamic  postgresql.parameters from the DCS config (cluster-wide)
     * @param upstream primary_conninfo target (null: none) as "host port" pair
     */
    public static String postgresqlConf(AgentSettings s, Map<String, String> dynamic, Upstream upstream, String socketDir) {
        Map<String, String> p = new LinkedHashMap<>(defaults());
        p.putAll(dynamic);
        p.putAll(s.postgresql().parameters());
        p.put("listen_addresses", s.postgresql().listen().host());
        p.put("port", Integer.toString(s.postgresql().listen().port()));
        p.putIfAbsent("unix_socket_directories", socketDir);
        p.put("cluster_name", clusterName(s));
        p.put("recovery_target_timeline", "latest");
        StringBuilder b = new StringBuilder();
        b.append("# Written by the pgha agent; edits are overwritten. Put parameters in the agent configuration.\n");
        b.append("include_if_exists = '").append(BASE_CONF).append("'\n");
        p.forEach((k, v) -> b.append(k).append(" = ").append(quote(v)).append('\n'));
        if (upstream != null) {
            b.append("# pgha following: ").append(upstream.member()).append('\n');
            b.append("primary_conninfo = ").append(quote(upstream.conninfo(s))).append('\n');
            b.append("primary_slot_name = ").append(quote(slotName(s.name()))).append('\n');
        }
        return b.toString();
    }

    /** Shown in every PostgreSQL process title, which is how orphans of a dead postmaster are found. */
    static String clusterName(AgentSettings s) {
        return s.scope() + "/" + s.name();
    }

    /** The member whose WAL we stream, and where it listens. */
    public record Upstream(String member, String host, int port) {
        String conninfo(AgentSettings s) {
            AgentSettings.Login r = s.postgresql().replication();
            // the password is read from the passfile: PostgreSQL logs a changed primary_conninfo verbatim
            return "host=" + libpq(host) + " port=" + port + " user=" + libpq(r.username()) + " passfile=" + libpq(PassFile.of(s).toString())
                    + " application_name=" + libpq(s.name()) + " dbname=replication sslmode=prefer target_session_attrs=any"
                    + " connect_timeout=2 keepalives_idle=2 keepalives_interval=1 keepalives_count=3";
        }
    }

    /** A libpq connection-string value: single-quoted, with backslash and quote escaped (any password works). */
    static String libpq(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** A parameter's value as we wrote it (quoted by {@link #quote}), or null when the file does not set it. */
    public static String parameter(String conf, String name) {
        String prefix = name + " = '";
        for (String line : conf.split("\n")) {
            if (line.startsWith(prefix) && line.endsWith("'")) {
                return line.substring(prefix.length(), line.length() - 1).replace("''", "'").replace("\\\\", "\\");
            }
        }
        return null;
    }

    /** Reads back the "# pgha following:" marker from a postgresql.conf we wrote. */
    public static String following(String conf) {
        for (String line : conf.split("\n")) {
            if (line.startsWith("# pgha following: ")) {
                return line.substring("# pgha following: ".length()).trim();
            }
        }
        return null;
    }

    public static String pgHba(AgentSettings s) {
        List<String> lines = s.postgresql().pgHba();
        StringBuilder b = new StringBuilder("# Written by the pgha agent from postgresql.pg_hba\n");
        if (!lines.isEmpty()) {
            lines.forEach(l -> b.append(l).append('\n'));
            return b.toString();
        }
        String repl = s.postgresql().replication().username();
        b.append("local all all peer\n");
        b.append("host all all 127.0.0.1/32 scram-sha-256\n");
        b.append("host all all ::1/128 scram-sha-256\n");
        b.append("host replication ").append(repl).append(" 127.0.0.1/32 scram-sha-256\n");
        b.append("host replication ").append(repl).append(" ::1/128 scram-sha-256\n");
        b.append("host all all 0.0.0.0/0 scram-sha-256\n");
        b.append("host replication ").append(repl).append(" 0.0.0.0/0 scram-sha-256\n");
        return b.toString();
    }

    /** Patroni's slot_name_from_member_name: lowercase, '-' and '.' to '_', other characters as uNNNN. */
    public static String slotName(String member) {
        StringBuilder b = new StringBuilder();
        for (char ch : member.toLowerCase().toCharArray()) {
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_') {
                b.append(ch);
            } else if (ch == '-' || ch == '.') {
                b.append('_');
            } else {
                b.append(String.format("u%04d", (int) ch));
            }
        }
        return b.length() > 63 ? b.substring(0, 63) : b.toString();
    }

    /**
     * A postgresql.conf string: quote doubled, backslash escaped, and control characters as the escapes the
     * server's parser reads back (a raw newline would end the line and start another setting).
     */
    static String quote(String v) {
        StringBuilder b = new StringBuilder(v.length() + 2).append('\'');
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("''");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\%03o", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('\'').toString();
    }
}
