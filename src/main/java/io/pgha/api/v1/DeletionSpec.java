package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeletionSpec {
    /** What happens to the data volumes when the PostgresCluster is deleted. */
    public PvcRetention pvcRetention;
}
