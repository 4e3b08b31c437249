package io.pgha.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * How desired objects reach the API server. Production uses server-side apply, so the operator owns only the
 * fields it sets and never fights the agent (which owns its pods' role label) or other controllers. Tests use
 * {@link ReplaceWriter}, because fabric8's mock server has no server-side apply.
 */
public interface ResourceWriter {

    /** Makes the object look as desired, creating it if needed. Skips the write when it already does. */
    <T extends HasMetadata> void apply(KubernetesClient client, T desired);

    /** Creates the object only if it does not exist; an existing one is left exactly as it is. */
    <T extends HasMetadata> boolean createIfAbsent(KubernetesClient client, T desired);

    /** Deletes the object if it exists (a component that the spec turned off). */
    default <T extends HasMetadata> void delete(KubernetesClient client, Class<T> type, String namespace, String name) {
        client.resources(type).inNamespace(namespace).withName(name).delete();
    }
}
