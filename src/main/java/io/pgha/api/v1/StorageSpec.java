package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {
    /** Size of each member's data volume; it may grow (the PVCs are patched), never shrink. */
    @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
    public String size;
    /** Cannot change once the cluster exists: a StatefulSet's volume claim template is immutable. */
    @ValidationRule(value = "self == oldSelf", message = "storage.storageClassName is immutable")
    public String storageClassName;
}
