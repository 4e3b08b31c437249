package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterParser;
import io.pgha.contract.DcsKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The CLI's etcd v3 access through etcd's JSON gateway (/v3/kv/...), the way patronictl itself talks to
 * etcd: one linearizable range over the cluster prefix per read (no lease, no watch) and single-key puts
 * guarded by a mod-revision compare. Plain HTTP keeps a CLI run short: a gRPC client costs seconds of
 * class loading before the first request on a busy machine. Hosts are tried in order until one answers.
 */
public final class EtcdGatewayStore implements ClusterStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http;
    private final List<String> hosts;
    private final String namespace;
    private final String user;
    private final String password;
    private String token;

    public EtcdGatewayStore(CtlConfig config) {
        this.hosts = config.etcdUrls();
        this.namespace = config.namespace();
        this.user = config.etcd().user();
        this.password = config.etcd().password();
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3));
        SSLContext ssl = TlsContexts.of(config.etcd().tls());
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
    }

    @Override
    public Cluster read(String scope) {
        DcsKeys keys = new DcsKeys(namespace, scope);
        ObjectNode req = JSON.createObjectNode();
        req.put("key", b64(keys.prefix()));
        req.put("range_end", b64(prefixEnd(keys.prefix())));
        JsonNode r = post("/v3/kv/range", req);
        List<ClusterParser.Entry> entries = new ArrayList<>();
        for (JsonNode kv : r.path("kvs")) {
            entries.add(new ClusterParser.Entry(text(kv.path("key").asText("")), text(kv.path("value").asText("")),
                    kv.path("mod_revision").asLong(0), kv.path("lease").asLong(0)));
        }
        return ClusterParser.parse(keys, entries, r.path("header").path("revision").asLong(0));
    }

    @Override
    public boolean setConfig(String scope, String value, long expectedModRevision) {
        return put(new DcsKeys(namespace, scope).key(DcsKeys.CONFIG), value, expectedModRevision);
    }

    @Override
    public boolean setFailover(String scope, String value, long expectedModRevision) {
        return put(new DcsKeys(namespace, scope).key(DcsKeys.FAILOVER), value, expectedModRevision);
    }

    @Override
    public void deleteCluster(String scope) {
        String prefix = new DcsKeys(namespace, scope).prefix();
        post("/v3/kv/deleterange", JSON.createObjectNode().put("key", b64(prefix)).put("range_end", b64(prefixEnd(prefix))));
    }

    private boolean put(String key, String value, long expectedModRevision) {
        ObjectNode put = JSON.createObjectNode().put("key", b64(key)).put("value", b64(value));
        if (expectedModRevision <= 0) {
            post("/v3/kv/put", put);
            return true;
        }
        ObjectNode txn = JSON.createObjectNode();
        txn.putArray("compare").addObject().put("key", b64(key)).put("target", "MOD").put("result", "EQUAL")
                .put("mod_revision", Long.toString(expectedModRevision));
        txn.putArray("success").addObject().set("request_put", put);
        // protobuf leaves a false "succeeded" out of the JSON: missing means the compare failed
        return post("/v3/kv/txn", txn).path("succeeded").asBoolean(false);
    }

    private JsonNode post(String path, JsonNode body) {
        String last = "no etcd host configured";
        for (String host : hosts) {
            try {
                if (user != null && token == null) {
                    token = authenticate(host);
                }
                HttpResponse<String> r = send(host, path, body, token);
                if (r.statusCode() == 200) {
                    return JSON.readTree(r.body());
                }
                last = host + path + " answered " + r.statusCode() + ": " + r.body().strip();
                if (r.statusCode() < 500) {
                    break; // a refusal (bad request, no permission) is the same on every member
                }
            } catch (IOException e) {
                last = host + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CtlException("interrupted while talking to etcd");
            }
        }
        throw new CtlException("etcd request failed: " + last);
    }

    private String authenticate(String host) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("name", user).put("password", password == null ? "" : password);
        HttpResponse<String> r = send(host, "/v3/auth/authenticate", body, null);
        if (r.statusCode() != 200) {
            throw new CtlException("etcd authentication as " + user + " failed: " + r.body().strip());
        }
        return JSON.readTree(r.body()).path("token").asText();
    }

    private HttpResponse<String> send(String host, String path, JsonNode body, String auth) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(host + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The end of the range holding every key that starts with {@code prefix}: its last byte plus one. */
    static String prefixEnd(String prefix) {
        byte[] b = prefix.getBytes(StandardCharsets.UTF_8);
        b[b.length - 1]++;
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // nothing held open between requests beyond the HTTP client's idle connections
    }
}
