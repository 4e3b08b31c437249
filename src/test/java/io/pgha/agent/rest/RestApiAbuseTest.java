package io.pgha.agent.rest;

import static io.pgha.agent.rest.NodeStatusFixture.leader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST API under a careless or hostile client (issue 11): the access check comes before any body is
 * read, bodies are bounded, and slow clients cannot keep HAProxy's probes from being answered.
 */
class RestApiAbuseTest {
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final AtomicInteger handled = new AtomicInteger();
    private final List<Socket> sockets = new ArrayList<>();
    private RestApi api;

    @BeforeEach
    void start() {
        api = new RestApi("127.0.0.1", 0, () -> leader().build());
        api.accessCheck(new AccessCheck("admin", "s3cret", List.of()));
        api.route("POST", "reload", req -> {
            handled.incrementAndGet();
            return RestReply.text(202, "reload scheduled " + req.body().length);
        });
        api.route("PUT", "config", req -> {
            handled.incrementAndGet();
            return RestReply.text(200, "stored " + req.body().length);
        });
        api.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        api.close();
    }

    @Test
    void anUnauthenticatedHugePostIsRefusedBeforeItsBodyIsSent() throws Exception {
        // 200 MB announced, 5 bytes sent: the reply comes although the client is nowhere near done
        Socket s = send("POST /reload HTTP/1.1\r\nHost: x\r\nContent-Length: 209715200\r\n\r\n{\"a\":");

        String head = responseHead(s);

        assertThat(head).startsWith("HTTP/1.1 401 ").containsIgnoringCase("connection: close");
        assertThat(handled).hasValue(0);
    }

    @Test
    void anAuthenticatedBodyOverTheLimitIsRefusedUnreadWith413() throws Exception {
        Socket s = send("POST /reload HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH + "\r\nContent-Length: 209715200\r\n\r\n");

        String head = responseHead(s);

        assertThat(head).startsWith("HTTP/1.1 413 ").containsIgnoringCase("connection: close");
        assertThat(handled).hasValue(0);
    }

    @Test
    void aChunkedBodyIsReadOnlyUpToTheLimit() throws Exception {
        int over = HttpServerLimits.BODY_LIMIT + 1; // one chunk one byte too long; the last chunk never sent
        Socket s = send("POST /reload HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(over) + "\r\n" + "x".repeat(over) + "\r\n");

        assertThat(responseHead(s)).startsWith("HTTP/1.1 413 ");
        assertThat(handled).hasValue(0);
    }

    @Test
    void theConfigMayBeLargerThanOtherBodies() throws Exception {
        String config = "{\"k\":\"" + "x".repeat(HttpServerLimits.BODY_LIMIT) + "\"}";

        HttpResponse<String> put = call("PUT", "/config", config, AUTH);
        HttpResponse<String> post = call("POST", "/reload", config, AUTH);

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).isEqualTo("stored " + config.length());
        assertThat(post.statusCode()).isEqualTo(413);
        assertThat(post.body()).isEqualTo("Request body too large: at most 65536 bytes are accepted");
    }

    @Test
    void writesBeyondTheInFlightLimitGet503AndTheSlotsComeBack() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < HttpServerLimits.WRITES_IN_FLIGHT; i++) { // each sends 1 byte of its 100
            slow.add(send("POST /reload HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH + "\r\nContent-Length: 100\r\n\r\n{"));
        }

        await().atMost(Duration.ofSeconds(2)).until(() -> call("POST", "/reload", "", AUTH).statusCode() == 503);
        assertThat(call("POST", "/reload", "", AUTH).body()).isEqualTo("Too many write requests in progress, try again");
        for (Socket s : slow) {
            s.close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> call("POST", "/reload", "", AUTH).statusCode() == 202);
    }

    @Test
    void probesAreAnsweredWhileSlowClientsHoldConnections() throws Exception {
        for (int i = 0; i < 20; i++) { // half a request line, never finished
            send("GET /leader HTTP/1.1\r\nHo");
        }
        for (int i = 0; i < 10; i++) { // an authenticated write whose body trickles
            send("POST /reload HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH + "\r\nContent-Length: 100\r\n\r\n{");
        }
        for (int i = 0; i < 10; i++) { // unauthenticated writes that never send their body
            send("POST /reload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
        }

        // each probe within 1 s: well before the server's 3 s request deadline could have freed anything
        for (String probe : List.of("/leader", "/primary", "/replica", "/health", "/liveness", "/readiness")) {
            HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + probe))
                    .timeout(Duration.ofSeconds(1)).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build();
            assertThat(HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode()).as(probe).isIn(200, 503);
        }
        assertThat(call("GET", "/leader", null, null).statusCode()).isEqualTo(200);
    }

    private Socket send(String text) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), api.port());
        sockets.add(s);
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return s;
    }

    /** The status line and headers of the reply, read within the socket's timeout. */
    private static String responseHead(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private HttpResponse<String> call(String method, String path, String body, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
