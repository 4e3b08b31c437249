package io.pgha.config;

import java.util.List;

/**
 * Renders the configuration file with which Patroni's own {@code patronictl -c FILE list} finds a
 * cluster on etcd v3: scope, namespace and the etcd3 hosts as one comma-separated string (the form
 * patronictl 3.0.2 accepts; its {@code -d etcd3://} does not exist before 3.0.3). Holds no secret.
 */
public final class PatronictlConfigRenderer {

    public String render(String scope, String namespace, List<String> etcdHosts) {
        return new YamlText()
                .comment("For Patroni's CLI: patronictl -c <this file> list")
                .str("scope", scope)
                .str("namespace", namespace)
                .map("etcd3").str("hosts", String.join(",", etcdHosts)).end()
                .text();
    }
}
