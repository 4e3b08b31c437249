package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.pgha.operator.model.ClusterModel;
import java.util.stream.IntStream;

/**
 * The agents' identity and least privilege: each agent reads and patches member pods (to set its role label
 * and status annotation), limited by name to the nine pods a cluster can ever have, and records Events.
 * Nothing else: the leader lease lives in etcd, not in the Kubernetes API.
 */
public final class AgentRbac {

    /** The most members a cluster may have (spec.instances' maximum). */
    static final int MAX_MEMBERS = 9;

    private AgentRbac() {}

    public static ServiceAccount serviceAccount(ClusterModel m) {
        return new ServiceAccountBuilder().withMetadata(Metadata.of(m, m.names().agentAccount(), Labels.AGENT)).build();
    }

    public static Role role(ClusterModel m) {
        String[] pods = IntStream.range(0, MAX_MEMBERS).mapToObj(i -> m.names().memberPod(i)).toArray(String[]::new);
        return new RoleBuilder().withMetadata(Metadata.of(m, m.names().agentAccount(), Labels.AGENT))
                .withRules(
                        new PolicyRuleBuilder().withApiGroups("").withResources("pods").withResourceNames(pods)
                                .withVerbs("get", "patch").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("events").withVerbs("create").build())
                .build();
    }

    public static RoleBinding roleBinding(ClusterModel m) {
        return new RoleBindingBuilder().withMetadata(Metadata.of(m, m.names().agentAccount(), Labels.AGENT))
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role")
                .withName(m.names().agentAccount()).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(m.names().agentAccount())
                .withNamespace(m.namespace()).endSubject()
                .build();
    }
}
