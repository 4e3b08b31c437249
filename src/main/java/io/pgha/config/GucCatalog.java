package io.pgha.config;

import java.util.Optional;
import java.util.Set;

/**
 * The names of the parameters (GUCs) a PostgreSQL server knows, so that a dynamic configuration can refuse
 * {@code shared_bufers} before every member writes it into postgresql.conf and PostgreSQL refuses to start.
 */
public interface GucCatalog {

    /** The server's parameter names in lower case, or empty when they cannot be had right now. */
    Optional<Set<String>> names();

    /** No list: names are checked for their form only (edit-config, which talks to etcd, not to a server). */
    GucCatalog NONE = Optional::empty;

    static GucCatalog of(Set<String> lowerCaseNames) {
        Optional<Set<String>> names = Optional.of(Set.copyOf(lowerCaseNames));
        return () -> names;
    }
}
