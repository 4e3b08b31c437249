package io.pgha.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Reads an object the operator owns. In the running operator this is the informers' cache (no API request per
 * object per reconciliation, which matters with hundreds of clusters); in tests and as a fallback, a GET.
 */
public interface ObjectLookup {

    /** The object, or null when it does not exist (or the cache has not seen it yet). */
    <T extends HasMetadata> T get(Class<T> type, String namespace, String name);
}
