package io.pgha.agent.rest;

import static io.pgha.agent.rest.NodeStatusFixture.leader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS for the REST API with Patroni's client-certificate modes; certificates made by openssl per run. */
class RestTlsTest {
    @TempDir
    static Path dir;
    private RestApi api;

    private static void openssl(String... args) throws Exception {
        Process p = new ProcessBuilder(List.of(args)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @BeforeAll
    static void certificates() throws Exception {
        openssl("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=test-ca");
        for (String who : new String[] {"server", "client"}) {
            openssl("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr", "-subj", "/CN=" + who);
            Files.writeString(dir.resolve(who + ".ext"), "subjectAltName=IP:127.0.0.1\n");
            openssl("openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".pem", "-days", "2", "-extfile", who + ".ext");
        }
        openssl("openssl", "pkcs8", "-topk8", "-in", "server.key", "-out", "server-enc.key", "-passout", "pass:s3cret");
        openssl("openssl", "rsa", "-in", "server.key", "-out", "server-pkcs1.key", "-traditional");
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private String start(String verifyClient, String keyFile, String keyPassword) throws IOException {
        SSLContext ctx = PemTls.serverContext(dir.resolve("server.pem"), dir.resolve(keyFile), keyPassword, dir.resolve("ca.pem"));
        api = new RestApi("127.0.0.1", 0, () -> leader().build(), ctx, verifyClient);
        api.route("POST", "reload", req -> RestReply.text(202, "reload scheduled"));
        api.start();
        return "https://127.0.0.1:" + api.port();
    }

    /** Status of one call, trusting our CA, with or without the client certificate. */
    private static int call(String url, String method, boolean withClientCert) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (withClientCert) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("c", PemTls.privateKey(dir.resolve("client.key"), null), new char[0],
                    java.security.cert.CertificateFactory.getInstance("X.509")
                            .generateCertificates(Files.newInputStream(dir.resolve("client.pem"))).toArray(new java.security.cert.Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), PemTlsTrust.of(dir.resolve("ca.pem")), null);
        SSLSocketFactory f = ctx.getSocketFactory();
        HttpsURLConnection c = (HttpsURLConnection) new URL(url).openConnection();
        c.setSSLSocketFactory(f);
        c.setRequestMethod(method);
        c.setConnectTimeout(3000);
        c.setReadTimeout(3000);
        int code = c.getResponseCode();
        try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
        return code;
    }

    @Test
    void withoutClientVerificationEveryoneGetsHttps() throws Exception {
        String base = start("none", "server.key", null);
        assertThat(call(base + "/primary", "GET", false)).isEqualTo(200);
        assertThat(call(base + "/reload", "POST", false)).isEqualTo(202);
    }

    @Test
    void optionalVerificationWantsACertificateOnlyForWrites() throws Exception {
        String base = start("optional", "server.key", null);
        assertThat(call(base + "/primary", "GET", false)).isEqualTo(200);
        assertThat(call(base + "/reload", "POST", false)).isEqualTo(403);
        assertThat(call(base + "/reload", "POST", true)).isEqualTo(202);
    }

    @Test
    void requiredVerificationRefusesAnyConnectionWithoutACertificate() throws Exception {
        String base = start("required", "server.key", null);
        assertThatThrownBy(() -> call(base + "/primary", "GET", false)).isInstanceOf(IOException.class);
        assertThat(call(base + "/primary", "GET", true)).isEqualTo(200);
    }

    @Test
    void anEncryptedKeyIsReadWithItsPassword() throws Exception {
        String base = start("none", "server-enc.key", "s3cret");
        assertThat(call(base + "/primary", "GET", false)).isEqualTo(200);
        assertThatThrownBy(() -> PemTls.serverContext(dir.resolve("server.pem"), dir.resolve("server-enc.key"), null, null))
                .hasMessageContaining("keyfile_password");
    }

    @Test
    void aTraditionalRsaKeyIsRefusedWithTheCommandThatConvertsIt() {
        assertThatThrownBy(() -> PemTls.serverContext(dir.resolve("server.pem"), dir.resolve("server-pkcs1.key"), null, null))
                .hasMessageContaining("openssl pkcs8 -topk8");
    }

    /** Trust managers for a PEM CA file (test helper around the production client context). */
    static final class PemTlsTrust {
        static javax.net.ssl.TrustManager[] of(Path ca) throws Exception {
            java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(Files.newInputStream(ca))) {
                ts.setCertificateEntry("ca" + i++, c);
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            return tmf.getTrustManagers();
        }
    }
}
