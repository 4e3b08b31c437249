package io.pgha.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.pgha.operator.model.ClusterModel;
import org.junit.jupiter.api.Test;

class TopologyBuildersTest {

    @Test
    void haproxyChecksTheAgentsAndForwardsToPgbouncer() {
        ClusterModel m = Fixtures.model("spec: {instances: 2, loadBalancer: {replicas: 3, readWritePort: 6000, readOnlyPort: 6001, serviceType: LoadBalancer}}\n");
        String cfg = Haproxy.configMap(m).getData().get(Haproxy.CONFIG_KEY);

        assertThat(cfg).contains("bind 0.0.0.0:6000", "bind 0.0.0.0:6001", "option httpchk GET /primary",
                "option httpchk GET /replica",
                "server shop-0 shop-0.shop-members.prod.svc:6432 check port 8008",
                "server shop-1 shop-1.shop-members.prod.svc:6432 check port 8008")
                .doesNotContain("shop-2");
        var d = Haproxy.deployment(m, "d1");
        Fixtures.assertOwnedAndLabelled(d);
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(Haproxy.service(m).getSpec().getType()).isEqualTo("LoadBalancer");
    }

    @Test
    void etcdPeersFormOneClusterFromStableNames() {
        ClusterModel m = Fixtures.defaults();
        var sts = Etcd.statefulSet(m);
        Fixtures.assertOwnedAndLabelled(sts);
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()).contains(
                "--initial-cluster=shop-etcd-0=http://shop-etcd-0.shop-etcd-peers.prod.svc:2380,"
                        + "shop-etcd-1=http://shop-etcd-1.shop-etcd-peers.prod.svc:2380,"
                        + "shop-etcd-2=http://shop-etcd-2.shop-etcd-peers.prod.svc:2380");
        assertThat(Etcd.headless(m).getSpec().getClusterIP()).isEqualTo("None");
        assertThat(Etcd.client(m).getMetadata().getName()).isEqualTo("shop-etcd");
    }

    @Test
    void budgetsAllowOneDisruptionPerComponent() {
        var pdb = DisruptionBudgets.members(Fixtures.defaults());
        Fixtures.assertOwnedAndLabelled(pdb);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry(Labels.COMPONENT, "database");
        assertThat(DisruptionBudgets.etcd(Fixtures.defaults()).getSpec().getSelector().getMatchLabels())
                .containsEntry(Labels.COMPONENT, "etcd");
    }

    @Test
    void theAgentMayPatchOnlyMemberPods() {
        ClusterModel m = Fixtures.defaults();
        var role = AgentRbac.role(m);
        Fixtures.assertOwnedAndLabelled(role);
        PolicyRule pods = role.getRules().get(0);
        assertThat(pods.getResources()).containsExactly("pods");
        assertThat(pods.getVerbs()).containsExactly("get", "patch");
        assertThat(pods.getResourceNames()).hasSize(9).contains("shop-0", "shop-8");
        var binding = AgentRbac.roleBinding(m);
        assertThat(binding.getSubjects().get(0).getName()).isEqualTo("shop-agent");
        assertThat(AgentRbac.serviceAccount(m).getMetadata().getName()).isEqualTo("shop-agent");
    }
}
