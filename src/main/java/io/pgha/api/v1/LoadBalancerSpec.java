package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** HAProxy in front of the members: read-write to the primary, read-only round robin over the standbys. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoadBalancerSpec {
    public Boolean enabled;
    @Min(1)
    @Max(10)
    public Integer replicas;
    @Min(1)
    @Max(65535)
    public Integer readWritePort;
    @Min(1)
    @Max(65535)
    public Integer readOnlyPort;
    public ServiceType serviceType;
}
