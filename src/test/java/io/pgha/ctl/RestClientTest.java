package io.pgha.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pgha.contract.Member;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
        return new CtlConfig("demo", "/service/", List.of("127.0.0.1:2379"), null, null, auth, false, null);
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
