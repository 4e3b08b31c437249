package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.contract.Member;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * HTTP client for members' REST APIs. Sends HTTP Basic credentials on every request when configured
 * (patronictl does, and Patroni requires them on everything but GET), JSON bodies, and uses the configured TLS
 * material (CA, client certificate) or the JVM's defaults.
 */
public final class RestClient implements PatroniApi {
    /** A switchover or restart answers only when it is done; Patroni itself waits up to about a minute. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final String authorization;

    public RestClient(CtlConfig config) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        SSLContext ssl = TlsContexts.of(config.rest().tls());
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
        this.authorization = config.restAuth() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(config.restAuth().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Reply call(Member member, String method, String endpoint, JsonNode body) {
        URI url = url(member, endpoint);
        HttpRequest.Builder r = HttpRequest.newBuilder(url)
                .timeout("GET".equalsIgnoreCase(method) ? READ_TIMEOUT : WRITE_TIMEOUT)
                .method(method.toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(PyJson.dumps(body), StandardCharsets.UTF_8));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(resp.statusCode(), resp.body());
        } catch (IOException e) {
            throw new Unreachable(method.toUpperCase() + " " + url + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted", e);
        }
    }

    /** api_url with its path replaced by the endpoint, as patronictl builds it. */
    static URI url(Member member, String endpoint) {
        String api = member == null ? null : member.apiUrl();
        if (api == null || api.isEmpty()) {
            throw new Unreachable("member " + (member == null ? "?" : member.name()) + " has no api_url", null);
        }
        try {
            URI u = URI.create(api);
            return endpoint == null ? u : new URI(u.getScheme(), u.getRawAuthority(), "/" + endpoint, null, null);
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            throw new Unreachable("member " + member.name() + " has an invalid api_url " + api, e);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
