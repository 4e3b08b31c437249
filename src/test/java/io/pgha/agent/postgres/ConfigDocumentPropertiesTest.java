package io.pgha.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.agent.DynamicConfig;
import io.pgha.config.ConfigDocuments;
import io.pgha.config.DynamicConfigValidator;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Over random configuration documents: the validator only ever answers with its verdict, and whatever
 * reaches postgresql.conf (from an accepted document, or from any document at all through the agent's own
 * defence in DynamicConfig.from) is one line per parameter with a well-formed quoted value.
 */
class ConfigDocumentPropertiesTest {
    static {
        // every invalid document logs its one line; thousands of them only slow the run (effective when this class loads first)
        System.setProperty("org.slf4j.simpleLogger.log.io.pgha.agent.DynamicConfig", "error");
    }

    /** postgresql.conf's own quoted-string token (guc-file.l): no raw quote, backslash-escapes, '' for a quote, no newline. */
    private static final Pattern QUOTED = Pattern.compile("'([^'\\\\\\n]|\\\\.|'')*'");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]+");

    @Provide
    Arbitrary<JsonNode> documents() {
        return ConfigDocuments.documents();
    }

    @Property(tries = 600, edgeCases = net.jqwik.api.EdgeCasesMode.NONE, afterFailure = net.jqwik.api.AfterFailureMode.RANDOM_SEED)
    void accepted_documents_render_only_safe_lines(@ForAll("documents") JsonNode doc) {
        DynamicConfigValidator.Verdict v = DynamicConfigValidator.validate(doc, ConfigDocuments.SERVER);
        assertThat(v.message()).matches("[\\x20-\\x7e]*"); // one printable line, whatever the input
        net.jqwik.api.statistics.Statistics.collect(v.ok() && nonNullParameters(doc) > 0 ? "accepted with parameters" : "other");
        // the property means something only if enough documents are accepted with parameters to render
        net.jqwik.api.statistics.Statistics.coverage(c -> c.check("accepted with parameters").percentage(p -> p > 10));
        if (v.ok()) {
            assertSafe(DynamicConfig.from(doc).parameters());
            assertThat(DynamicConfig.from(doc).parameters()).hasSize(nonNullParameters(doc));
        }
    }

    @Property(tries = 300)
    void the_agent_never_renders_an_unsafe_line_whatever_the_dcs_holds(@ForAll("documents") JsonNode doc) {
        DynamicConfig previous = DynamicConfig.from(null);
        DynamicConfig d = DynamicConfig.from(doc, previous, "[demo/m1] ");
        assertSafe(d.parameters());
        assertThat(d.loopWait() + 2L * d.retryTimeout()).isLessThanOrEqualTo(d.ttl());
        assertThat(d.sync().nodeCount()).isPositive();
    }

    private static int nonNullParameters(JsonNode doc) {
        int[] n = {0};
        doc.path("postgresql").path("parameters").fields().forEachRemaining(e -> n[0] += e.getValue().isNull() ? 0 : 1);
        return n[0];
    }

    private static void assertSafe(Map<String, String> parameters) {
        parameters.forEach((name, value) -> {
            String line = name + " = " + ConfFiles.quote(value);
            assertThat(line).doesNotContain("\n").doesNotContain("\r");
            assertThat(name).matches(NAME);
            assertThat(QUOTED.matcher(ConfFiles.quote(value)).matches()).as(line).isTrue();
        });
    }
}
