package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Patroni's synchronous_mode settings: off, on, and on with synchronous_mode_strict. */
public enum ReplicationMode {
    @JsonProperty("async") ASYNC,
    @JsonProperty("sync") SYNC,
    @JsonProperty("strict-sync") STRICT_SYNC
}
