package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/** Where member pods run. Without an affinity, members prefer distinct nodes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SchedulingSpec {
    public Affinity affinity;
    public List<Toleration> tolerations;
    public Map<String, String> nodeSelector;
    public List<TopologySpreadConstraint> topologySpreadConstraints;
}
