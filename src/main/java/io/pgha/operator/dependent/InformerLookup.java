package io.pgha.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Reads from the informer registered for the type (see PostgresClusterReconciler.prepareEventSources), and
 * falls back to another lookup for types without one. The cache may lag the operator's own last write by a
 * moment; the writers tolerate that (a create that finds the object already there is not an error).
 */
public final class InformerLookup implements ObjectLookup {

    private final Context<?> context;
    private final ObjectLookup fallback;

    public InformerLookup(Context<?> context, ObjectLookup fallback) {
        this.context = context;
        this.fallback = fallback;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        try {
            var source = context.eventSourceRetriever().getEventSourceFor(type);
            if (source instanceof InformerEventSource<?, ?> informer) {
                return ((InformerEventSource<T, ?>) informer).get(new ResourceID(name, namespace)).orElse(null);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // no informer for this type: ask the API server
        }
        return fallback.get(type, namespace, name);
    }
}
