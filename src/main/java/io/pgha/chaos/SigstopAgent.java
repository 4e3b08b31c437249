package io.pgha.chaos;

import io.pgha.local.Poll;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hung agent over a live PostgreSQL: SIGSTOP of the leader's agent for the fault's length (longer than
 * ttl), then SIGCONT. Only an outside fence can stop that PostgreSQL from taking writes meanwhile.
 */
final class SigstopAgent implements Fault {

    private static final Logger LOG = LoggerFactory.getLogger(SigstopAgent.class);

    @Override
    public Injected inject(FaultContext ctx, String leader) {
        long agent = ctx.cluster().agentPid(leader)
                .orElseThrow(() -> new IllegalStateException("the agent of leader " + leader + " is not running"));
        String marker = ctx.cluster().layout().agentConfig(ctx.cluster().layout().member(leader)).toString();
        ctx.journal().stopped(agent, marker);
        ProcessTree.signal("STOP", List.of(agent));
        long t = MicroClock.nowMicros();
        LOG.info("sigstop-agent: SIGSTOP to {}'s agent {} for {} s", leader, agent, ctx.hold().toSeconds());
        Poll.pause(ctx.hold());
        ProcessTree.signal("CONT", List.of(agent));
        long end = MicroClock.nowMicros();
        ctx.journal().continued(agent);
        LOG.info("sigstop-agent: SIGCONT to {}'s agent {}", leader, agent);
        return new Injected(leader, t, end, "agent " + agent + " stopped for " + ctx.hold().toSeconds() + " s");
    }
}
