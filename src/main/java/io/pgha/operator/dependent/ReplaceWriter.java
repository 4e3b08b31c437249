package io.pgha.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Create or replace, for API servers without server-side apply (fabric8's mock server in tests). Replacing
 * carries the existing object's resourceVersion, so a concurrent change fails the write instead of being lost.
 */
public final class ReplaceWriter implements ResourceWriter {

    @Override
    public <T extends HasMetadata> void apply(KubernetesClient client, ObjectLookup lookup, T desired) {
        T existing = ResourceWriter.current(lookup, desired);
        if (existing == null) {
            try {
                client.resource(desired).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                existing = client.resource(desired).get(); // created meanwhile; the cache had not seen it
            }
        }
        if (DesiredMatcher.matches(existing, desired)) {
            return;
        }
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        client.resource(desired).update();
    }
}
