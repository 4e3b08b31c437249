package io.pgha.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

class DesiredMatcherTest {

    static Service service(String selectorValue) {
        return new ServiceBuilder().withNewMetadata().withName("s").addToLabels("a", "1").endMetadata()
                .withNewSpec().addToSelector("role", selectorValue).addNewPort().withPort(5432).endPort().endSpec().build();
    }

    @Test
    void whatTheServerAddsIsNotDrift() {
        Service existing = service("primary");
        existing.getSpec().setClusterIP("10.0.0.7");
        existing.getSpec().getPorts().get(0).setProtocol("TCP");
        existing.getMetadata().getLabels().put("added-by-someone", "x");
        existing.getMetadata().setResourceVersion("42");

        assertThat(DesiredMatcher.matches(existing, service("primary"))).isTrue();
    }

    @Test
    void aChangedValueOrAMissingLabelIsDrift() {
        assertThat(DesiredMatcher.matches(service("replica"), service("primary"))).isFalse();
        Service unlabelled = service("primary");
        unlabelled.getMetadata().getLabels().clear();
        assertThat(DesiredMatcher.matches(unlabelled, service("primary"))).isFalse();
    }

    @Test
    void aListThatChangedLengthIsDrift() {
        ConfigMap one = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().addToData("k", "v").build();
        ConfigMap two = new ConfigMapBuilder(one).addToData("k2", "v2").build();
        assertThat(DesiredMatcher.matches(one, two)).isFalse();
        assertThat(DesiredMatcher.matches(two, one)).as("extra keys on the server are tolerated").isTrue();
    }
}
