package io.pgha.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Create or replace, for API servers without server-side apply (fabric8's mock server in tests). Replacing
 * keeps the existing object's resourceVersion, so a concurrent change still fails the write.
 */
public final class ReplaceWriter implements ResourceWriter {

    @Override
    public <T extends HasMetadata> void apply(KubernetesClient client, T desired) {
        T existing = client.resource(desired).get();
        if (existing == null) {
            client.resource(desired).create();
            return;
        }
        if (DesiredMatcher.matches(existing, desired)) {
            return;
        }
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        client.resource(desired).update();
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
