package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.pgha.operator.model.ClusterModel;

/** Pod placement: the user's affinity, or by default a preference for one pod of a kind per node. */
final class Scheduling {

    static final String HOSTNAME = "kubernetes.io/hostname";

    private Scheduling() {}

    /**
     * Preferred, not required: a cluster on fewer nodes than instances still starts (a test cluster, a node
     * drained for maintenance), while the scheduler spreads members whenever it can.
     */
    static Affinity affinity(ClusterModel m, String component) {
        if (Labels.DATABASE.equals(component) && m.scheduling().affinity() != null) {
            return m.scheduling().affinity();
        }
        return new AffinityBuilder().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100)
                .withNewPodAffinityTerm().withTopologyKey(HOSTNAME)
                .withNewLabelSelector().withMatchLabels(Labels.selector(m, component)).endLabelSelector()
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().build();
    }
}
