package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum PoolMode {
    @JsonProperty("session") SESSION,
    @JsonProperty("transaction") TRANSACTION,
    @JsonProperty("statement") STATEMENT
}
