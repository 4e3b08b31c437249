package io.pgha.agent.dcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pgha.config.AgentSettings;
import io.pgha.contract.DcsKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's etcd client over TLS against a real etcd that requires client certificates
 * (--client-cert-auth), with certificates made by openssl for this run.
 */
class EtcdTlsIT {
    @TempDir
    static Path dir;
    private static Process etcd;
    private static String endpoint;

    private static void run(String... args) throws Exception {
        Process p = new ProcessBuilder(List.of(args)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @BeforeAll
    static void startEtcdWithTls() throws Exception {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=etcd-test-ca");
        for (String who : new String[] {"server", "client"}) {
            run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr", "-subj", "/CN=" + who);
            Files.writeString(dir.resolve(who + ".ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage="
                    + (who.equals("server") ? "serverAuth" : "clientAuth") + "\n");
            run("openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".crt", "-days", "2", "-extfile", who + ".ext");
        }
        int client = freePort();
        int peer = freePort();
        endpoint = "127.0.0.1:" + client;
        etcd = new ProcessBuilder("etcd", "--name", "tls", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", "https://" + endpoint, "--advertise-client-urls", "https://" + endpoint,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "tls=http://127.0.0.1:" + peer,
                "--cert-file", dir.resolve("server.crt").toString(), "--key-file", dir.resolve("server.key").toString(),
                "--trusted-ca-file", dir.resolve("ca.crt").toString(), "--client-cert-auth", "--log-level", "error")
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        if (etcd != null) {
            etcd.destroy();
            if (!etcd.waitFor(10, TimeUnit.SECONDS)) {
                etcd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static EtcdDcs dcs(AgentSettings.EtcdTls tls) {
        return new EtcdDcs(List.of(endpoint), tls, new DcsKeys("/service/", "tls"), "m1", "tls", 6, Duration.ofSeconds(1));
    }

    @Test
    void withTheCaAndAClientCertificateTheAgentReadsAndWrites() {
        try (EtcdDcs d = dcs(new AgentSettings.EtcdTls(dir.resolve("ca.crt"), dir.resolve("client.crt"), dir.resolve("client.key")))) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                d.touchMember(JsonNodeFactory.instance.objectNode().put("role", "replica"));
                return d.read().members().containsKey("m1");
            });
            assertThat(d.acquireLeader()).isTrue();
            assertThat(d.read().hasLeader("m1")).isTrue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withoutAClientCertificateEtcdRefusesTheAgent() {
        // etcd is up (the other client proves it): the refusal is about the missing certificate
        try (EtcdDcs good = dcs(new AgentSettings.EtcdTls(dir.resolve("ca.crt"), dir.resolve("client.crt"), dir.resolve("client.key")))) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> good.read() != null);
        }
        try (EtcdDcs d = dcs(new AgentSettings.EtcdTls(dir.resolve("ca.crt"), null, null))) {
            assertThatThrownBy(d::read).isInstanceOf(DcsException.class);
        }
    }

    @Test
    void anRsaKeyInPkcs1FormWorksToo() throws Exception {
        run("openssl", "rsa", "-in", "client.key", "-out", "client-pkcs1.key", "-traditional");
        try (EtcdDcs d = dcs(new AgentSettings.EtcdTls(dir.resolve("ca.crt"), dir.resolve("client.crt"), dir.resolve("client-pkcs1.key")))) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> d.read() != null);
        }
    }

    @Test
    void aFileThatIsNotAKeyIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> dcs(new AgentSettings.EtcdTls(dir.resolve("ca.crt"), dir.resolve("client.crt"),
                dir.resolve("client.crt")))).hasMessageContaining("etcd3 TLS: cannot use");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
