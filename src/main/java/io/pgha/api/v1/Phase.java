package io.pgha.api.v1;

/** The one-word summary that `kubectl get pgc` shows. */
public enum Phase {
    /** Resources are being created; no member is ready yet. */
    Creating,
    /** Every member is ready and there is a primary. */
    Running,
    /** A rolling update, scaling or volume growth is under way. */
    Updating,
    /** There is a primary but some members are not ready. */
    Degraded,
    /** No primary is serving. */
    Unavailable,
    /** The spec cannot be applied; nothing was created or changed. */
    Invalid
}
