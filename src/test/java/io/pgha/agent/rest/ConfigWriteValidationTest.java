package io.pgha.agent.rest;

import static io.pgha.agent.rest.NodeStatusFixture.leader;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.config.ConfigDocuments;
import io.pgha.config.DynamicConfigValidator;
import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterParser;
import io.pgha.contract.DcsKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/** PATCH and PUT /config store only configurations the validator accepts; a refused one changes nothing. */
class ConfigWriteValidationTest {
    private static final DcsKeys KEYS = new DcsKeys("/service/", "demo");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STORED = "{\"ttl\":30,\"loop_wait\":10,\"postgresql\":{\"parameters\":{\"work_mem\":\"4MB\"}}}";

    /** The fake DCS holds only the config key. */
    private volatile String config;
    private volatile long revision;
    private RestApi api;

    private final AgentControl agent = new AgentControl() {
        @Override
        public String scope() {
            return "demo";
        }

        @Override
        public String name() {
            return "m1";
        }

        @Override
        public Cluster readCluster() {
            return ClusterParser.parse(KEYS, List.of(new ClusterParser.Entry(KEYS.key("config"), config, revision, 0)), revision);
        }

        @Override
        public synchronized boolean compareAndSet(String key, String value, long modRevision) {
            if (modRevision != revision) {
                return false;
            }
            put(key, value);
            return true;
        }

        @Override
        public synchronized void put(String key, String value) {
            config = value;
            revision++;
        }

        @Override
        public void wakeUp() {}

        @Override
        public int loopWaitSeconds() {
            return 1;
        }

        @Override
        public NodeTasks tasks() {
            throw new UnsupportedOperationException("not used here");
        }
    };

    @BeforeProperty
    void start() {
        config = STORED;
        revision = 5;
        api = new RestApi("127.0.0.1", 0, () -> leader().build());
        new ClusterRoutes(agent, ConfigDocuments.SERVER).register(api);
        api.start();
    }

    @AfterProperty
    void stop() {
        api.close();
    }

    private HttpResponse<String> call(String method, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/config"))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Example
    void a_newline_in_a_name_a_textual_ttl_and_a_misspelt_parameter_are_refused_together_and_nothing_is_stored() throws Exception {
        HttpResponse<String> r = call("PATCH", "{\"ttl\":\"abc\",\"postgresql\":{\"parameters\":"
                + "{\"work_mem\\nshared_buffers\":\"1\",\"shared_bufers\":\"1GB\",\"shared_buffers\":\"1GB\"}}}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("ttl: expected an integer, got \"abc\"")
                .contains("postgresql.parameters.\"work_mem\\nshared_buffers\": not a valid parameter name")
                .contains("postgresql.parameters.shared_bufers: not a parameter of this PostgreSQL server")
                .doesNotContain("parameters.shared_buffers:");
        assertThat(config).isEqualTo(STORED);
        assertThat(revision).isEqualTo(5);
    }

    @Example
    void a_put_that_breaks_the_timing_rule_is_refused() throws Exception {
        HttpResponse<String> r = call("PUT", "{\"ttl\":6,\"loop_wait\":2,\"retry_timeout\":3}");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("loop_wait + 2 x retry_timeout <= ttl");
        assertThat(config).isEqualTo(STORED);
    }

    @Example
    void a_patch_that_repairs_a_value_written_around_the_api_is_accepted() throws Exception {
        config = "{\"ttl\":\"abc\",\"loop_wait\":1}";
        assertThat(call("PATCH", "{\"loop_wait\":2}").statusCode()).isEqualTo(422);
        HttpResponse<String> r = call("PATCH", "{\"ttl\":8,\"postgresql\":{\"parameters\":{\"pg_stat_statements.max\":1000}}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(config).get("ttl").asInt()).isEqualTo(8);
    }

    @Provide
    Arbitrary<JsonNode> documents() {
        return ConfigDocuments.documents();
    }

    @Property(tries = 50)
    void a_write_is_stored_only_when_valid_and_a_refused_one_changes_nothing(@ForAll("documents") JsonNode body,
                                                                              @ForAll boolean put) throws Exception {
        String before = config;
        long revisionBefore = revision;
        HttpResponse<String> r = call(put ? "PUT" : "PATCH", JSON.writeValueAsString(body));
        assertThat(r.statusCode()).isIn(200, 400, 422);
        if (r.statusCode() == 200) {
            assertThat(DynamicConfigValidator.validate(JSON.readTree(config), ConfigDocuments.SERVER).problems()).isEmpty();
        } else {
            assertThat(config).isEqualTo(before);
            assertThat(revision).isEqualTo(revisionBefore);
        }
    }
}
