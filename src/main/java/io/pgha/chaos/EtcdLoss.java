package io.pgha.chaos;

import io.pgha.local.LocalLayout;
import io.pgha.local.Poll;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd members die: kill -9 of etcd's raft leader (one member: the DCS keeps its quorum), or of the raft
 * leader and one other (two of three: no quorum). After the fault's length {@code pgha local up} starts
 * them again.
 */
final class EtcdLoss implements Fault {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdLoss.class);
    private final int members;

    EtcdLoss(int members) {
        this.members = members;
    }

    @Override
    public Injected inject(FaultContext ctx, String leader) {
        List<String> names = new ArrayList<>(ctx.cluster().layout().etcd().stream().map(LocalLayout.EtcdMember::name).toList());
        String raftLeader = ctx.health().etcdRaftLeader().orElse(names.get(ctx.random().nextInt(names.size())));
        List<String> victims = new ArrayList<>(List.of(raftLeader));
        names.remove(raftLeader);
        while (victims.size() < members) {
            victims.add(names.remove(ctx.random().nextInt(names.size())));
        }
        List<Long> pids = new ArrayList<>();
        for (String v : victims) {
            pids.add(ctx.cluster().etcdPid(v).orElseThrow(() -> new IllegalStateException("etcd " + v + " is not running")));
        }
        long t = MicroClock.nowMicros();
        List<Long> gone = ProcessTree.kill(pids);
        LOG.info("etcd-{}: SIGKILL to etcd {} (pids {}; raft leader {}){}", members == 1 ? "member" : "quorum", victims, pids,
                raftLeader, gone.isEmpty() ? "" : " (already gone: " + gone + ")");
        Poll.pause(ctx.hold());
        long end = MicroClock.nowMicros();
        String restart = ctx.restart();
        return new Injected("etcd " + String.join(",", victims), t, end, "killed etcd " + victims + " (raft leader "
                + raftLeader + ") for " + ctx.hold().toSeconds() + " s; " + restart);
    }
}
