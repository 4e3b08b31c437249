package io.pgha.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small client of the agents' Patroni-compatible REST API (GET only). */
final class AgentRest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    /** The status code of GET {@code url}, or -1 when the agent cannot be reached. */
    int status(String url) {
        return get(url).map(HttpResponse::statusCode).orElse(-1);
    }

    /** The JSON body of GET {@code url} (any status code), or empty when unreachable or not JSON. */
    Optional<JsonNode> json(String url) {
        return get(url).flatMap(r -> {
            try {
                return Optional.of(JSON.readTree(r.body()));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private Optional<HttpResponse<String>> get(String url) {
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
