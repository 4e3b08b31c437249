package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The PgBouncer sidecar in every member pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolerSpec {
    public Boolean enabled;
    public PoolMode poolMode;
    @Min(1)
    @Max(1000000)
    public Integer maxClientConn;
    @Min(1)
    @Max(10000)
    public Integer defaultPoolSize;
    @Min(0)
    @Max(10000)
    public Integer reservePoolSize;
}
