package io.pgha.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Short HTTP questions to the agents' REST API and to etcd's HTTP gateway. An unreachable or slow peer is an
 * answer here (-1 / empty), not an error: the harness asks while things are broken on purpose.
 */
final class HttpProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    /** Status code of GET {@code url}, -1 when there is no answer in time. */
    int status(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build())
                .map(HttpResponse::statusCode).orElse(-1);
    }

    /** The JSON body of GET {@code url}, whatever the status. */
    Optional<JsonNode> getJson(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build()).flatMap(HttpProbe::parse);
    }

    /** The JSON body of POST {@code url} with a JSON {@code body} (etcd's gateway). */
    Optional<JsonNode> postJson(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()).flatMap(HttpProbe::parse);
    }

    private static Optional<JsonNode> parse(HttpResponse<String> r) {
        try {
            return Optional.of(JSON.readTree(r.body()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<HttpResponse<String>> send(HttpRequest request) {
        try {
            return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
