package io.pgha.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CtlConfigTest {
    @TempDir Path tmp;

    private Path file(String yaml) throws Exception {
        return Files.writeString(tmp.resolve("ctl.yaml"), yaml);
    }

    @Test
    void reads_scope_namespace_hosts_and_restapi_credentials() throws Exception {
        CtlConfig c = CtlConfig.load(file("""
                scope: demo
                namespace: /pg/
                etcd3:
                  hosts: 127.0.0.1:2379, http://127.0.0.2:2379
                restapi:
                  authentication: {username: admin, password: secret}
                """), Map.of());
        assertThat(c.scope()).isEqualTo("demo");
        assertThat(c.namespace()).isEqualTo("/pg/");
        assertThat(c.etcdUrls()).containsExactly("http://127.0.0.1:2379", "http://127.0.0.2:2379");
        assertThat(c.restAuth()).isEqualTo("admin:secret");
    }

    @Test
    void tls_files_for_etcd_and_for_the_rest_api_with_patronictls_fallbacks() throws Exception {
        CtlConfig c = CtlConfig.load(file("""
                etcd3: {hosts: 'a:2379', cacert: /ca.pem, cert: /c.pem, key: /k.pem}
                restapi: {cafile: /rest-ca.pem, certfile: /server.pem, keyfile: /server.key}
                ctl: {certfile: /ctl.pem}
                """), Map.of("PATRONI_CTL_KEYFILE", "/ctl.key"));
        assertThat(c.etcdUrls()).containsExactly("https://a:2379");
        assertThat(c.etcd().tls()).isEqualTo(new CtlConfig.Tls("/ca.pem", "/c.pem", "/k.pem", false));
        assertThat(c.rest().tls()).isEqualTo(new CtlConfig.Tls("/rest-ca.pem", "/ctl.pem", "/ctl.key", false));
        assertThat(c.withInsecure(true).insecure()).isTrue();
    }

    @Test
    void ctl_auth_wins_over_restapi_and_environment_wins_over_the_file() throws Exception {
        Path f = file("""
                scope: demo
                etcd3: {hosts: [a:1, b:2]}
                ctl: {auth: 'ops:pw', insecure: true}
                restapi: {authentication: {username: admin, password: secret}}
                """);
        CtlConfig c = CtlConfig.load(f, Map.of("PATRONI_SCOPE", "other", "PATRONI_ETCD3_HOSTS", "c:3,d:4"));
        assertThat(c.scope()).isEqualTo("other");
        assertThat(c.etcdHosts()).containsExactly("c:3", "d:4");
        assertThat(c.restAuth()).isEqualTo("ops:pw");
        assertThat(c.insecure()).isTrue();
    }

    @Test
    void environment_alone_is_enough() {
        CtlConfig c = CtlConfig.load(null, Map.of("PATRONI_SCOPE", "s", "PATRONI_ETCD3_HOST", "h:1",
                "PATRONI_RESTAPI_USERNAME", "u", "PATRONI_RESTAPI_PASSWORD", "p", "PATRONI_CTL_INSECURE", "on"));
        assertThat(c.namespace()).isEqualTo("/service/");
        assertThat(c.etcdHosts()).isEqualTo(List.of("h:1"));
        assertThat(c.restAuth()).isEqualTo("u:p");
        assertThat(c.insecure()).isTrue();
    }

    @Test
    void a_missing_file_and_missing_hosts_are_refused_with_a_clear_message() {
        assertThatThrownBy(() -> CtlConfig.load(tmp.resolve("nope.yaml"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not existing or no read rights");
        assertThatThrownBy(() -> CtlConfig.load(null, Map.of()).etcdUrls()).isInstanceOf(CtlException.class)
                .hasMessageContaining("no etcd3 hosts");
    }
}
