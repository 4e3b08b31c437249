package io.pgha.agent.rest;

import static io.pgha.agent.rest.NodeStatusFixture.leader;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Every write route of the agent on a real local HTTP server, with a {@link RecordingAgent} behind them. */
final class WriteRoutesFixture implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final RecordingAgent agent = new RecordingAgent();
    final RestApi api = new RestApi("127.0.0.1", 0, () -> leader().build());

    WriteRoutesFixture() {
        new ClusterRoutes(agent).register(api);
        new NodeRoutes(agent, () -> leader().build()).register(api);
        api.start();
    }

    HttpResponse<String> call(String method, String path, byte[] body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        api.close();
    }
}
