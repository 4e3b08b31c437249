package io.pgha.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.pgha.contract.Member;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real HTTP server on a free loopback port: paths, methods, bodies and Basic credentials on the wire. */
class RestClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(x.getRequestMethod() + " " + x.getRequestURI().getPath() + " auth=" + x.getRequestHeaders().getFirst("Authorization")
                    + " type=" + x.getRequestHeaders().getFirst("Content-Type") + " body=" + body);
            byte[] reply = "accepted".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(202, reply.length);
            x.getResponseBody().write(reply);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Member member() throws Exception {
        return new Member("m1", JSON.readTree("{\"api_url\":\"http://127.0.0.1:" + server.getAddress().getPort() + "/patroni\"}"), 0);
    }

    private static CtlConfig config(String auth) {
        return CtlConfig.of("demo", "/service/", List.of("127.0.0.1:2379"), auth);
    }

    @Test
    void writes_replace_the_path_send_json_and_basic_credentials() throws Exception {
        PatroniApi.Reply r = new RestClient(config("admin:secret")).call(member(), "POST", "switchover", JSON.readTree("{\"leader\":\"m1\"}"));
        assertThat(r).isEqualTo(new PatroniApi.Reply(202, "accepted"));
        assertThat(seen).containsExactly("POST /switchover auth=Basic YWRtaW46c2VjcmV0 type=application/json body={\"leader\": \"m1\"}");
    }

    @Test
    void a_get_without_endpoint_uses_api_url_and_no_credentials_when_none_are_configured() throws Exception {
        new RestClient(config(null)).call(member(), "GET", null, null);
        new RestClient(config(null)).call(member(), "DELETE", "restart", null);
        assertThat(seen).containsExactly("GET /patroni auth=null type=null body=", "DELETE /restart auth=null type=null body=");
    }

    @Test
    void https_with_the_configured_ca_or_insecure_but_not_with_the_jvm_defaults(@TempDir Path tmp) throws Exception {
        Path keystore = tmp.resolve("server.p12");
        Path cert = tmp.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "s", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "s", "-keystore", keystore.toString(), "-storepass", "changeit", "-file", cert.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(ctx));
        https.createContext("/", x -> {
            x.sendResponseHeaders(200, 2);
            x.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            x.close();
        });
        https.start();
        try {
            Member m = new Member("m1", JSON.readTree("{\"api_url\":\"https://127.0.0.1:" + https.getAddress().getPort() + "/patroni\"}"), 0);
            CtlConfig.Tls withCa = new CtlConfig.Tls(cert.toString(), null, null, false);
            CtlConfig plain = CtlConfig.of("demo", "/service/", List.of("x:1"), null);
            CtlConfig trusting = new CtlConfig("demo", "/service/", plain.etcd(), new CtlConfig.Rest(null, withCa));
            assertThat(new RestClient(trusting).call(m, "GET", null, null).status()).isEqualTo(200);
            assertThat(new RestClient(plain.withInsecure(true)).call(m, "POST", "reload", null).status()).isEqualTo(200);
            assertThatThrownBy(() -> new RestClient(plain).call(m, "GET", null, null)).isInstanceOf(PatroniApi.Unreachable.class);
        } finally {
            https.stop(0);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void a_member_that_does_not_listen_or_has_no_api_url_is_unreachable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Member gone = new Member("m9", JSON.readTree("{\"api_url\":\"http://127.0.0.1:" + closed + "/patroni\"}"), 0);
        assertThatThrownBy(() -> new RestClient(config(null)).call(gone, "GET", null, null)).isInstanceOf(PatroniApi.Unreachable.class);
        assertThatThrownBy(() -> new RestClient(config(null)).call(new Member("m8", JSON.createObjectNode(), 0), "POST", "reload", null))
                .isInstanceOf(PatroniApi.Unreachable.class).hasMessage("member m8 has no api_url");
    }
}
