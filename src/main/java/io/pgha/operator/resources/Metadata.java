package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.pgha.operator.model.ClusterModel;

/** Object metadata shared by every builder: name, namespace, standard labels, the owner reference. */
final class Metadata {

    private Metadata() {}

    static ObjectMeta of(ClusterModel m, String name, String component) {
        return new ObjectMetaBuilder().withName(name).withNamespace(m.namespace())
                .withLabels(Labels.standard(m, component)).withOwnerReferences(m.owner()).build();
    }
}
