package io.pgha.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Server-side apply under the field manager "pgha-operator". */
public final class ServerSideApplyWriter implements ResourceWriter {

    public static final String FIELD_MANAGER = "pgha-operator";

    @Override
    public <T extends HasMetadata> void apply(KubernetesClient client, T desired) {
        T existing = client.resource(desired).get();
        if (existing != null && DesiredMatcher.matches(existing, desired)) {
            return;
        }
        // forced: the operator is the only intended owner of the fields it sets
        client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    @Override
    public <T extends HasMetadata> boolean createIfAbsent(KubernetesClient client, T desired) {
        if (client.resource(desired).get() != null) {
            return false;
        }
        client.resource(desired).create();
        return true;
    }
}
