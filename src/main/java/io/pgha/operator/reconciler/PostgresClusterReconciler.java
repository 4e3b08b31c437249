package io.pgha.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.pgha.api.v1.Phase;
import io.pgha.api.v1.PostgresCluster;
import io.pgha.api.v1.PostgresClusterStatus;
import io.pgha.api.v1.PvcRetention;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.pgha.operator.dependent.ClientLookup;
import io.pgha.operator.dependent.InformerLookup;
import io.pgha.operator.dependent.ObjectLookup;
import io.pgha.operator.dependent.ResourceWriter;
import io.pgha.operator.model.AppliedSettings;
import io.pgha.operator.model.ClusterModel;
import io.pgha.operator.model.InvalidSpecException;
import io.pgha.operator.resources.Labels;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges one PostgresCluster: validate into a model (or refuse with a condition, touching nothing), observe,
 * then one named step per component, then the status, which is written only when it changed.
 */
public final class PostgresClusterReconciler implements Reconciler<PostgresCluster>, Cleaner<PostgresCluster> {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresClusterReconciler.class);
    /** Member facts come from the agents, which send no events: look again this often. */
    static final Duration RECHECK_STEADY = Duration.ofSeconds(60);
    static final Duration RECHECK_CHANGING = Duration.ofSeconds(10);

    private final ResourceWriter writer;
    private final AgentClient agents;
    private final Clock clock;
    private final OperatorMetrics metrics;

    public PostgresClusterReconciler(ResourceWriter writer, AgentClient agents, Clock clock, OperatorMetrics metrics) {
        this.writer = writer;
        this.agents = agents;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Watches the member and etcd StatefulSets (ours only, by label), so pod readiness changes reach the status
     * without waiting for the periodic re-check. Owner references map them back to their cluster.
     */
    @Override
    public List<EventSource<?, PostgresCluster>> prepareEventSources(EventSourceContext<PostgresCluster> context) {
        List<EventSource<?, PostgresCluster>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> type : OWNED_TYPES) {
            sources.add(informer(type, context));
        }
        return sources;
    }

    /**
     * Every kind the operator writes, watched through informers restricted to its own label: a change or
     * deletion by someone else triggers a reconciliation (drift is repaired), and the steps read from these
     * caches instead of the API server.
     */
    static final List<Class<? extends HasMetadata>> OWNED_TYPES = List.of(StatefulSet.class, Deployment.class,
            Service.class, ConfigMap.class, Secret.class, PodDisruptionBudget.class, ServiceAccount.class, Role.class,
            RoleBinding.class);

    private static <R extends HasMetadata> EventSource<R, PostgresCluster> informer(Class<R> type,
                                                                                    EventSourceContext<PostgresCluster> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, PostgresCluster.class)
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGER).build(), context);
    }

    @Override
    public UpdateControl<PostgresCluster> reconcile(PostgresCluster pc, Context<PostgresCluster> context) {
        return reconcile(pc, context.getClient(), new InformerLookup(context, new ClientLookup(context.getClient())));
    }

    /** One reconciliation reading straight from the API server (tests call this). */
    public UpdateControl<PostgresCluster> reconcile(PostgresCluster pc, KubernetesClient client) {
        return reconcile(pc, client, new ClientLookup(client));
    }

    private UpdateControl<PostgresCluster> reconcile(PostgresCluster pc, KubernetesClient client, ObjectLookup lookup) {
        long start = System.nanoTime();
        String key = pc.getMetadata().getNamespace() + "/" + pc.getMetadata().getName();
        try {
            UpdateControl<PostgresCluster> uc = converge(pc, client, lookup);
            metrics.reconciled(key, pc.getStatus() == null ? null : pc.getStatus().phase, System.nanoTime() - start);
            return uc;
        } catch (RuntimeException e) {
            metrics.failed(System.nanoTime() - start);
            throw e;
        }
    }

    private UpdateControl<PostgresCluster> converge(PostgresCluster pc, KubernetesClient client, ObjectLookup lookup) {
        ClusterModel m;
        try {
            m = ClusterModel.from(pc);
        } catch (InvalidSpecException e) {
            return refuse(pc, client, "InvalidSpec", e.problems());
        }
        StatefulSet members = lookup.get(StatefulSet.class, m.namespace(), m.names().members());
        AppliedSettings applied = members == null ? null
                : AppliedSettings.fromAnnotations(members.getMetadata().getAnnotations());
        List<String> refused = applied == null ? List.of() : applied.refusedChanges(AppliedSettings.of(m));
        if (!refused.isEmpty()) {
            return refuse(pc, client, "InvalidSpec", refused);
        }
        ClusterFacts facts = new ClusterObserver(agents).observe(m, members);
        ClusterSteps steps = new ClusterSteps(client, lookup, writer, agents, m);
        steps.ensureCredentials();
        steps.applyAgentAccess();
        steps.applyEtcd();
        String digest = steps.applyMemberConfig();
        Optional<String> waiting = steps.applyMembers(digest, members, facts);
        steps.growVolumes();
        steps.applyLoadBalancer();
        if (waiting.isEmpty()) {
            // standbys first, then a switchover, then the old primary (RollingUpdatePlanner)
            waiting = steps.rollMembers(members, facts);
        }
        List<String> changed = steps.applyDynamicConfig(facts);
        if (!changed.isEmpty()) {
            ClusterEvents.publish(client, pc, List.of(new ClusterEvents.Notice("Normal", "ConfigChanged",
                    "dynamic configuration: " + String.join(", ", changed))), clock.instant());
        }
        return status(pc, client, StatusAggregator.observed(m, facts, pc.getStatus(), waiting, clock.instant()));
    }

    private UpdateControl<PostgresCluster> refuse(PostgresCluster pc, KubernetesClient client, String reason,
                                                  List<String> problems) {
        LOG.warn("{}/{}: spec refused: {}", pc.getMetadata().getNamespace(), pc.getMetadata().getName(), problems);
        long generation = Objects.requireNonNullElse(pc.getMetadata().getGeneration(), 0L);
        return status(pc, client, StatusAggregator.invalid(pc.getStatus(), generation, reason, problems, clock.instant()));
    }

    /** Patches the status only when it differs from the stored one: an idle cluster costs no writes. */
    private UpdateControl<PostgresCluster> status(PostgresCluster pc, KubernetesClient client, PostgresClusterStatus next) {
        Duration recheck = next.phase == Phase.Running || next.phase == Phase.Invalid ? RECHECK_STEADY : RECHECK_CHANGING;
        if (next.equals(pc.getStatus())) {
            return UpdateControl.<PostgresCluster>noUpdate().rescheduleAfter(recheck);
        }
        ClusterEvents.publish(client, pc, ClusterEvents.between(pc.getStatus(), next), clock.instant());
        pc.setStatus(next);
        return UpdateControl.patchStatus(pc).rescheduleAfter(recheck);
    }

    /**
     * Owned objects go with the cluster through their owner references; member volumes have none (the
     * StatefulSet controller creates them), so they are deleted here when the spec says Delete, kept otherwise.
     */
    @Override
    public DeleteControl cleanup(PostgresCluster pc, Context<PostgresCluster> context) {
        return cleanup(pc, context.getClient());
    }

    public DeleteControl cleanup(PostgresCluster pc, KubernetesClient client) {
        metrics.deleted(pc.getMetadata().getNamespace() + "/" + pc.getMetadata().getName());
        PvcRetention retention = pc.getSpec() == null || pc.getSpec().deletion == null
                || pc.getSpec().deletion.pvcRetention == null ? PvcRetention.Retain : pc.getSpec().deletion.pvcRetention;
        if (retention == PvcRetention.Delete) {
            LOG.info("{}/{}: deleting member volumes (pvcRetention: Delete)", pc.getMetadata().getNamespace(),
                    pc.getMetadata().getName());
            client.persistentVolumeClaims().inNamespace(pc.getMetadata().getNamespace())
                    .withLabel(Labels.INSTANCE, pc.getMetadata().getName())
                    .withLabel(Labels.MANAGED_BY, Labels.MANAGER).delete();
        }
        return DeleteControl.defaultDelete();
    }
}
