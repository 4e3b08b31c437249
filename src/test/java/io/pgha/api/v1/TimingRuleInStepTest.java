package io.pgha.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.pgha.config.DcsTiming;
import io.pgha.operator.model.Defaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CRD checks the timing with a CEL rule whose literals (defaults, bounds) must say what the agent's one
 * rule says ({@link DcsTiming}): a manifest the API server admits must be one the agent accepts, and the
 * other way round. Literals cannot be shared with Java, so this test holds them in step.
 */
class TimingRuleInStepTest {

    private static int defaultIn(String rule, String field) {
        Matcher m = Pattern.compile("has\\(self\\." + field + "\\) \\? self\\." + field + " : (\\d+)").matcher(rule);
        assertThat(m.find()).as("the rule names a default for " + field + ": " + rule).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String rule() {
        return HaSpec.class.getAnnotation(ValidationRule.class).value();
    }

    @Test
    void theCelRulesDefaultsArePghasDefaults() {
        String rule = rule();
        assertThat(defaultIn(rule, "ttl")).isEqualTo(DcsTiming.PGHA_DEFAULT.ttl());
        assertThat(defaultIn(rule, "loopWait")).isEqualTo(DcsTiming.PGHA_DEFAULT.loopWait());
        assertThat(defaultIn(rule, "retryTimeout")).isEqualTo(DcsTiming.PGHA_DEFAULT.retryTimeout());
        assertThat(Defaults.TIMING).isEqualTo(DcsTiming.PGHA_DEFAULT);
    }

    @Test
    void theCelRuleIsTheAgentsRule() {
        // loop_wait + 2 x retry_timeout <= ttl, in that shape
        assertThat(rule().replaceAll("\\(has\\(self\\.(\\w+)\\) \\? self\\.\\w+ : \\d+\\)", "$1"))
                .isEqualTo("loopWait + 2 * retryTimeout <= ttl");
    }

    @Test
    void theSchemaBoundsAreTheAgentsBounds() throws NoSuchFieldException {
        assertThat(HaSpec.class.getField("ttl").getAnnotation(Min.class).value()).isEqualTo(DcsTiming.MIN_TTL);
        assertThat(HaSpec.class.getField("loopWait").getAnnotation(Min.class).value()).isEqualTo(DcsTiming.MIN_LOOP_WAIT);
        assertThat(HaSpec.class.getField("retryTimeout").getAnnotation(Min.class).value()).isEqualTo(DcsTiming.MIN_RETRY_TIMEOUT);
        for (String f : new String[] {"ttl", "loopWait", "retryTimeout"}) {
            assertThat(HaSpec.class.getField(f).getAnnotation(Max.class).value()).as(f).isEqualTo(DcsTiming.MAX_SECONDS);
        }
    }

    @Test
    void theCommittedCrdCarriesTheSameRule() throws Exception {
        // YAML folds the long double-quoted rule: "\" at a line's end joins it to the next, "\ " is a space
        String crd = Files.readString(Path.of("crd/postgresclusters.pgha.io-v1.yml")).replaceAll("\\\\\\s*\\n\\s*", "")
                .replace("\\ ", " ").replaceAll("\\s+", " ");
        assertThat(crd).contains(rule().replaceAll("\\s+", " "));
    }
}
