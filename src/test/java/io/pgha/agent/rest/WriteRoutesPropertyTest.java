package io.pgha.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random bodies against every write route (issue 11): objects built from the fields the endpoints read, with
 * values of every JSON type, other JSON values, and garbage bytes. The API never answers 500, and a refused
 * request (4xx) never reaches the agent: no DCS write, no node task.
 */
class WriteRoutesPropertyTest {
    private static final List<String> ROUTES = List.of("POST /switchover", "POST /failover", "DELETE /switchover",
            "PATCH /config", "PUT /config", "POST /restart", "DELETE /restart", "POST /reinitialize", "POST /reload",
            "POST /failsafe");
    private static final List<String> FIELDS = List.of("leader", "candidate", "member", "scheduled_at", "schedule", "role",
            "postgres_version", "timeout", "restart_pending", "force", "from_leader", "name", "api_url", "conn_url", "slots",
            "ttl", "pause");
    private static final String LATER = OffsetDateTime.now().plusDays(1).toString();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static WriteRoutesFixture routes;

    @BeforeContainer
    static void start() {
        routes = new WriteRoutesFixture();
    }

    @AfterContainer
    static void stop() {
        routes.close();
    }

    @Property(tries = 400)
    void neverA500AndARefusalChangesNothing(@ForAll("routes") String route, @ForAll("bodies") byte[] body) throws Exception {
        routes.agent.reset();
        String[] methodAndPath = route.split(" ");

        HttpResponse<String> r = routes.call(methodAndPath[0], methodAndPath[1], body);

        assertThat(r.statusCode()).as("%s %s -> %s", route, new String(body, StandardCharsets.UTF_8), r.body()).isNotEqualTo(500);
        if (r.statusCode() >= 400 && r.statusCode() < 500) {
            assertThat(routes.agent.actions()).as("%s %s -> %d %s", route, new String(body, StandardCharsets.UTF_8),
                    r.statusCode(), r.body()).isEmpty();
        }
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.of(ROUTES);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, objects().map(o -> o.toString().getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, values().map(v -> v.toString().getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)),
                Tuple.of(1, Arbitraries.just(new byte[0])));
    }

    private static Arbitrary<ObjectNode> objects() {
        return Arbitraries.maps(fieldNames(), values()).ofMaxSize(5).map(WriteRoutesPropertyTest::object);
    }

    private static Arbitrary<String> fieldNames() {
        return Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6));
    }

    private static Arbitrary<JsonNode> values() {
        Arbitrary<JsonNode> scalar = scalars();
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalar),
                Tuple.of(1, scalar.list().ofMaxSize(3).map(l -> (JsonNode) new ArrayNode(NODES, l))),
                Tuple.of(1, Arbitraries.maps(fieldNames(), scalar).ofMaxSize(3).map(m -> (JsonNode) object(m))));
    }

    private static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.of("m1", "m2", "m3", "", "primary", "replica", "master", "15.2", "30s", "30", "true", LATER,
                        "2020-01-01T00:00:00+00:00", "+999999999-12-31T23:59:59+00:00").map(TextNode::valueOf),
                Arbitraries.strings().ofMaxLength(10).map(TextNode::valueOf),
                Arbitraries.integers().between(-5, 100_000).map(IntNode::valueOf),
                Arbitraries.doubles().map(DoubleNode::valueOf),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.instance));
    }

    private static ObjectNode object(Map<String, ? extends JsonNode> fields) {
        ObjectNode o = NODES.objectNode();
        fields.forEach(o::set);
        return o;
    }
}
