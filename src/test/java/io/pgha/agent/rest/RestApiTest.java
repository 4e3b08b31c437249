package io.pgha.agent.rest;

import static io.pgha.agent.rest.NodeStatusFixture.leader;
import static io.pgha.agent.rest.NodeStatusFixture.replica;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestApiTest {

    private final AtomicReference<NodeStatus> status = new AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RestApi api;

    @BeforeEach
    void start() {
        status.set(leader().build());
        api = new RestApi("127.0.0.1", 0, () -> {
            NodeStatus s = status.get();
            if (s == null) {
                throw new IllegalStateException("no status yet");
            }
            return s;
        });
        api.start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void getOnHealthPathsAnswersTheRuleWithTheStatusJson() throws Exception {
        HttpResponse<String> leaderCheck = call("GET", "/leader");
        assertThat(leaderCheck.statusCode()).isEqualTo(200);
        assertThat(leaderCheck.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(new ObjectMapper().readTree(leaderCheck.body()).path("xlog").path("location").asLong())
                .isEqualTo(67_108_960L);

        HttpResponse<String> replicaCheck = call("GET", "/replica");
        assertThat(replicaCheck.statusCode()).isEqualTo(503);
        assertThat(replicaCheck.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(replicaCheck.body()).contains("\"role\":\"master\"");
    }

    @Test
    void queryParametersReachTheRules() throws Exception {
        status.set(replica().with(n -> n.tags.put("zone", "a")).build());

        assertThat(call("GET", "/replica?tag_zone=a").statusCode()).isEqualTo(200);
        assertThat(call("GET", "/replica?tag_zone=b").statusCode()).isEqualTo(503);
        assertThat(call("GET", "/replica?lag=16MB").statusCode()).isEqualTo(200);
    }

    @Test
    void patroniIsAlways200EvenOnAReplica() throws Exception {
        status.set(replica().build());

        HttpResponse<String> r = call("GET", "/patroni");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(new ObjectMapper().readTree(r.body()).path("patroni").path("name").asText()).isEqualTo("node2");
    }

    @Test
    void unknownGetIsTheGenericHealthCheck() throws Exception {
        HttpResponse<String> r = call("GET", "/foo");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"state\":\"running\"");
    }

    @Test
    void headAndOptionsAnswerTheStatusLineOnly() throws Exception {
        assertThat(call("HEAD", "/leader").statusCode()).isEqualTo(200);
        assertThat(call("OPTIONS", "/leader").statusCode()).isEqualTo(200);
        HttpResponse<String> options = call("OPTIONS", "/replica");
        assertThat(options.statusCode()).isEqualTo(503);
        assertThat(options.body()).isEmpty();
        assertThat(options.headers().firstValue("Content-Type")).isEmpty();
    }

    @Test
    void livenessAndReadinessSendNoBody() throws Exception {
        HttpResponse<String> liveness = call("GET", "/liveness");
        HttpResponse<String> readiness = call("GET", "/readiness");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).isEmpty();
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).isEmpty();
    }

    @Test
    void writeMethodsAreNotImplementedYet() throws Exception {
        HttpResponse<String> r = call("POST", "/restart");

        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(r.body()).contains("POST");
    }

    @Test
    void addedRoutesAreServed() throws Exception {
        api.route("POST", "reload", req -> RestReply.text(202, "reload scheduled"));

        HttpResponse<String> r = call("POST", "/reload");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("reload scheduled");
    }

    @Test
    void aFailingStatusSourceAnswers500WithTheMessage() throws Exception {
        status.set(null);

        HttpResponse<String> r = call("GET", "/leader");

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("no status yet");
        assertThat(call("HEAD", "/leader").statusCode()).isEqualTo(500);
    }

    @Test
    void clientsThatNeverFinishTheirRequestDoNotStarveProbes() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) { // more than the pool's threads
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port());
                socket.getOutputStream().write("GET /leader HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                stalled.add(socket);
            }

            assertThat(call("GET", "/leader").statusCode()).isEqualTo(200);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    private HttpResponse<String> call(String method, String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
