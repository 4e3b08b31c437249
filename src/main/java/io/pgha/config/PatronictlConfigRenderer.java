package io.pgha.config;

import java.util.List;

/**
 * Renders the configuration file with which Patroni's own {@code patronictl -c FILE list} finds a
 * cluster on etcd v3: scope, namespace and the etcd3 hosts as one comma-separated string (the form
 * patronictl 3.0.2 accepts; its {@code -d etcd3://} does not exist before 3.0.3), and the REST login for
 * its write commands (switchover, restart, pause…) when one is given: then the file holds a secret.
 */
public final class PatronictlConfigRenderer {

    public String render(String scope, String namespace, List<String> etcdHosts) {
        return render(scope, namespace, etcdHosts, null);
    }

    public String render(String scope, String namespace, List<String> etcdHosts, Credentials restApi) {
        YamlText y = new YamlText()
                .comment("For Patroni's CLI: patronictl -c <this file> list")
                .str("scope", scope)
                .str("namespace", namespace)
                .map("etcd3").str("hosts", String.join(",", etcdHosts)).end();
        if (restApi != null) {
            y.map("restapi").map("authentication").str("username", restApi.username()).str("password", restApi.password()).end().end();
        }
        return y.text();
    }
}
