package io.pgha.chaos;

import io.pgha.local.LocalLayout;
import io.pgha.local.Poll;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary cut off: its agent, PostgreSQL and PgBouncer can reach neither etcd nor the other members, nor
 * they it, for the fault's length; clients (HAProxy, the writer, the probers) still reach it. Then healed.
 */
final class Partition implements Fault {

    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);

    @Override
    public Injected inject(FaultContext ctx, String leader) {
        ClusterHandle c = ctx.cluster();
        LocalLayout l = c.layout();
        List<Integer> otherPorts = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (LocalLayout.Member m : l.members()) {
            if (!m.name().equals(leader)) {
                others.add(m.name());
                otherPorts.addAll(ClusterHandle.memberPorts(m));
            }
        }
        for (LocalLayout.EtcdMember e : l.etcd()) {
            otherPorts.addAll(List.of(e.clientPort(), e.peerPort()));
        }
        NetworkPartition.Group victim = new NetworkPartition.Group(leader, () -> c.memberProcesses(leader),
                ClusterHandle.memberPorts(l.member(leader)));
        NetworkPartition.Group rest = new NetworkPartition.Group(String.join(",", others) + " and etcd", () -> {
            List<Long> pids = new ArrayList<>();
            others.forEach(o -> pids.addAll(c.memberProcesses(o)));
            l.etcd().forEach(e -> c.etcdPid(e.name()).ifPresent(pids::add));
            return pids;
        }, otherPorts);
        String what = ctx.partition().cut(victim, rest);
        long t = MicroClock.nowMicros();
        LOG.info("partition: {} for {} s", what, ctx.hold().toSeconds());
        Poll.pause(ctx.hold());
        long end = MicroClock.nowMicros();
        ctx.partition().heal();
        LOG.info("partition: healed");
        return new Injected(leader, t, end, what);
    }
}
