package io.pgha.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * Renders an {@link AgentConfig} as one member's configuration file in Patroni's own YAML format, so
 * that the same file works for {@code pgha agent --config FILE} and for Patroni itself. Pure: no I/O.
 *
 * <p>The output holds passwords: whoever writes it to disk must make it readable by its owner only.
 */
public final class AgentYamlRenderer {

    public String render(AgentConfig c) {
        YamlText y = new YamlText()
                .comment("Patroni-format configuration of member " + c.name() + " of cluster " + c.scope() + ".")
                .comment("Rendered by pgha; holds passwords (keep it mode 600).")
                .str("scope", c.scope())
                .str("namespace", c.namespace())
                .str("name", c.name())
                .blank();
        restApi(y, c);
        y.map("etcd3").str("hosts", String.join(",", c.etcdHosts()));
        AgentSettings.EtcdTls tls = c.etcdTls();
        if (tls != null) {
            y.str("protocol", "https");
            if (tls.caCert() != null) {
                y.str("cacert", tls.caCert().toString());
            }
            if (tls.cert() != null) {
                y.str("cert", tls.cert().toString()).str("key", tls.key().toString());
            }
        }
        y.end().blank();
        bootstrap(y, c);
        postgresql(y, c);
        values(y, "tags", c.tags());
        return y.text();
    }

    private static void restApi(YamlText y, AgentConfig c) {
        y.map("restapi").str("listen", c.restApiListen()).str("connect_address", c.restApiConnectAddress());
        if (c.restApiAuth() != null) {
            credentials(y, "authentication", c.restApiAuth());
        }
        y.end().blank();
    }

    private static void bootstrap(YamlText y, AgentConfig c) {
        y.map("bootstrap").map("dcs")
                .num("ttl", c.timing().ttl())
                .num("loop_wait", c.timing().loopWait())
                .num("retry_timeout", c.timing().retryTimeout())
                .num("maximum_lag_on_failover", c.maximumLagOnFailover());
        DcsReplication r = c.dcsReplication();
        if (r.synchronousMode()) {
            y.bool("synchronous_mode", true).bool("synchronous_mode_strict", r.strict()).num("synchronous_node_count", r.nodeCount());
        }
        if (r.failsafe()) {
            y.bool("failsafe_mode", true);
        }
        y.map("postgresql")
                .bool("use_pg_rewind", true)
                .bool("use_slots", true);
        values(y, "parameters", c.dcsParameters());
        y.end().end().end().blank();
    }

    private static void postgresql(YamlText y, AgentConfig c) {
        y.map("postgresql")
                .str("listen", c.postgresListen())
                .str("connect_address", c.postgresConnectAddress())
                .str("data_dir", c.dataDir())
                .str("bin_dir", c.binDir())
                .map("authentication");
        credentials(y, "superuser", c.superuser());
        credentials(y, "replication", c.replication());
        credentials(y, "rewind", c.rewind());
        y.end();
        values(y, "parameters", c.parameters());
        y.strList("pg_hba", c.pgHba())
                .bool("use_pg_rewind", true)
                .bool("remove_data_directory_on_rewind_failure", true)
                .end()
                .blank();
    }

    private static void credentials(YamlText y, String key, Credentials cred) {
        y.map(key).str("username", cred.username()).str("password", cred.password()).end();
    }

    /** A mapping of scalars, keys sorted so the output is stable; {@code key: {}} when empty. */
    private static void values(YamlText y, String key, Map<String, Object> values) {
        if (values.isEmpty()) {
            y.emptyMap(key);
            return;
        }
        y.map(key);
        new TreeMap<>(values).forEach((k, v) -> {
            if (v instanceof Boolean b) {
                y.bool(k, b);
            } else if (v instanceof Number n && (n instanceof Integer || n instanceof Long)) {
                y.num(k, n.longValue());
            } else {
                y.str(k, String.valueOf(v));
            }
        });
        y.end();
    }
}
