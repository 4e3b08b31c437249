package io.pgha.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Server-side apply under the field manager "pgha-operator". */
public final class ServerSideApplyWriter implements ResourceWriter {

    public static final String FIELD_MANAGER = "pgha-operator";

    @Override
    public <T extends HasMetadata> void apply(KubernetesClient client, ObjectLookup lookup, T desired) {
        T existing = ResourceWriter.current(lookup, desired);
        if (existing != null && DesiredMatcher.matches(existing, desired)) {
            return;
        }
        // forced: the operator is the only intended owner of the fields it sets
        client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
}
