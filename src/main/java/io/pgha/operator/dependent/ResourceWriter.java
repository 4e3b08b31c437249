package io.pgha.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * How desired objects reach the API server. Production uses server-side apply, so the operator owns only the
 * fields it sets and never fights the agent (which owns its pods' role label) or other controllers. Tests use
 * {@link ReplaceWriter}, because fabric8's mock server has no server-side apply. Both compare with the current
 * object first ({@link DesiredMatcher}) and skip writes that would change nothing.
 */
public interface ResourceWriter {

    /** Makes the object look as desired, creating it if needed. Skips the write when it already does. */
    <T extends HasMetadata> void apply(KubernetesClient client, ObjectLookup lookup, T desired);

    /** Creates the object only if it does not exist; an existing one is left exactly as it is. */
    default <T extends HasMetadata> boolean createIfAbsent(KubernetesClient client, ObjectLookup lookup, T desired) {
        if (current(lookup, desired) != null) {
            return false;
        }
        try {
            client.resource(desired).create();
            return true;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false; // the cache had not seen it yet: it exists, and stays as it is
            }
            throw e;
        }
    }

    /** Deletes the object if it exists (a component that the spec turned off). */
    default <T extends HasMetadata> void delete(KubernetesClient client, ObjectLookup lookup, Class<T> type,
                                                String namespace, String name) {
        if (lookup.get(type, namespace, name) != null) {
            client.resources(type).inNamespace(namespace).withName(name).delete();
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T current(ObjectLookup lookup, T desired) {
        return (T) lookup.get(desired.getClass(), desired.getMetadata().getNamespace(), desired.getMetadata().getName());
    }
}
