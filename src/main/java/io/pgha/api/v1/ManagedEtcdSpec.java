package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ManagedEtcdSpec {
    /** An odd number keeps a majority through the loss of (replicas-1)/2 members. */
    @Min(1)
    @Max(7)
    @ValidationRule(value = "self % 2 == 1", message = "etcd.managed.replicas must be odd")
    public Integer replicas;
    @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
    public String storage;
    public String image;
    public ResourceRequirements resources;
}
