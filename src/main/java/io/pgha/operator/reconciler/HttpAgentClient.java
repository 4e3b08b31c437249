package io.pgha.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.config.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link AgentClient} over HTTP, with short timeouts: an agent that does not answer quickly counts as down. */
public final class HttpAgentClient implements AgentClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpAgentClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** HTTP/1.1: the agent's server speaks nothing else, so no upgrade attempt on every request. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    @Override
    public Optional<List<MemberReport>> cluster(String host, int port) {
        return get(host, port, "/cluster").map(body -> {
            try {
                return parseCluster(body);
            } catch (IOException e) {
                LOG.debug("agent {}:{} sent a malformed /cluster: {}", host, port, e.toString());
                return null;
            }
        });
    }

    /** The body of a GET answered 200, or empty. */
    private Optional<String> get(String host, int port, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            LOG.debug("agent {}:{} did not answer GET {}: {}", host, port, path, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public boolean switchover(String host, int port, Credentials login, String leader, String candidate) {
        String body = JSON.createObjectNode().put("leader", leader).put("candidate", candidate).toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/switchover"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (login != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            LOG.info("switchover {} -> {} answered {}: {}", leader, candidate, r.statusCode(), r.body().strip());
            return r.statusCode() == 200;
        } catch (IOException e) {
            LOG.warn("switchover {} -> {} failed: {}", leader, candidate, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Patroni's GET /cluster body: {"members": [{"name", "role", "state", "timeline", "lag", "pending_restart"}]}. */
    static List<MemberReport> parseCluster(String body) throws IOException {
        List<MemberReport> out = new ArrayList<>();
        for (JsonNode m : JSON.readTree(body).path("members")) {
            String role = m.path("role").asText();
            boolean primary = role.equals("leader") || role.equals("standby_leader") || role.equals("master");
            JsonNode lag = m.get("lag");
            out.add(new MemberReport(m.path("name").asText(), primary ? "primary" : "replica",
                    m.path("state").asText("unknown"), m.hasNonNull("timeline") ? m.get("timeline").asLong() : null,
                    primary ? Long.valueOf(0) : lag != null && lag.isNumber() ? lag.asLong() : null,
                    m.path("pending_restart").asBoolean(false)));
        }
        return out;
    }

    @Override
    public Optional<JsonNode> config(String host, int port) {
        return get(host, port, "/config").map(body -> {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                LOG.debug("agent {}:{} sent a malformed /config: {}", host, port, e.toString());
                return null;
            }
        });
    }

    @Override
    public boolean patchConfig(String host, int port, Credentials login, JsonNode patch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/config"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch.toString()));
        if (login != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            LOG.info("PATCH /config {} on {} answered {}", patch, host, r.statusCode());
            return r.statusCode() == 200;
        } catch (IOException e) {
            LOG.warn("PATCH /config on {} failed: {}", host, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
