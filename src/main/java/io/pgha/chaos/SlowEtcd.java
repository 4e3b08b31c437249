package io.pgha.chaos;

import io.pgha.local.LocalLayout;
import io.pgha.local.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A slow etcd everywhere: every etcd call of every agent takes {@code perCall} longer (half of it each way,
 * in the proxies the agents reach etcd through: {@code pgha local up --etcd-port-offset}) for 3 × ttl, then
 * normal again. etcd itself is healthy and still answers the harness directly. A slow but working DCS must
 * not cost a healthy primary its role: the result notes whether its log shows a self-fence, and whether
 * another member was promoted.
 */
final class SlowEtcd implements Fault {

    private static final Logger LOG = LoggerFactory.getLogger(SlowEtcd.class);
    private final Duration perCall;

    SlowEtcd(Duration perCall) {
        this.perCall = perCall;
    }

    @Override
    public Injected inject(FaultContext ctx, String leader) {
        if (ctx.etcdProxies().isEmpty()) {
            throw new IllegalStateException("slow-etcd needs the agents to reach etcd through the harness's proxies");
        }
        LocalLayout l = ctx.cluster().layout();
        Map<String, Long> marks = new LinkedHashMap<>();
        l.members().forEach(m -> marks.put(m.name(), AgentLogScan.mark(l.agentLog(m))));
        Duration length = Duration.ofSeconds(3L * ctx.cluster().ttl());
        Duration oneWay = perCall.dividedBy(2);
        long t = MicroClock.nowMicros();
        ctx.etcdProxies().values().forEach(p -> p.delay(oneWay));
        LOG.info("slow-etcd: every etcd call of every agent {} ms slower ({} ms each way) for {} s; leader {}",
                perCall.toMillis(), oneWay.toMillis(), length.toSeconds(), leader);
        Poll.pause(length);
        ctx.etcdProxies().values().forEach(p -> p.delay(Duration.ZERO));
        long end = MicroClock.nowMicros();
        LOG.info("slow-etcd: etcd calls at normal speed again");

        AgentLogScan.SelfFence leaderSide = AgentLogScan.scan(lines(l, leader, marks));
        List<String> promoted = new ArrayList<>();
        for (LocalLayout.Member m : l.members()) {
            if (!m.name().equals(leader) && AgentLogScan.count(lines(l, m.name(), marks), "promoted to primary") > 0) {
                promoted.add(m.name());
            }
        }
        String verdict = (leaderSide.any() ? "PRIMARY SELF-FENCED" : "primary not fenced") + " (" + leaderSide + ")"
                + (promoted.isEmpty() ? ", no promotion" : ", promoted: " + promoted);
        if (leaderSide.any() || !promoted.isEmpty()) {
            LOG.warn("slow-etcd: {} during the fault (see {}'s agent.log)", verdict, leader);
        } else {
            LOG.info("slow-etcd: {}", verdict);
        }
        return new Injected("etcd (all calls)", t, end, "every etcd call +" + perCall.toMillis() + " ms for "
                + length.toSeconds() + " s; leader " + leader + ": " + verdict);
    }

    private static List<String> lines(LocalLayout l, String member, Map<String, Long> marks) {
        Path log = l.agentLog(l.member(member));
        return AgentLogScan.since(log, marks.get(member));
    }
}
