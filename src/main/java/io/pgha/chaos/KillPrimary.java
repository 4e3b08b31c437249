package io.pgha.chaos;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's machine dies: kill -9 of the leader's agent with its children (its watchdog process), its
 * postmaster and the postmaster's children, all at once, and right after that its replication links severed
 * with their queued bytes. Once writes are acknowledged by another member (or the recovery bound has passed),
 * {@code pgha local up} starts the member again.
 */
final class KillPrimary implements Fault {

    private static final Logger LOG = LoggerFactory.getLogger(KillPrimary.class);

    @Override
    public Injected inject(FaultContext ctx, String leader) {
        long agent = ctx.cluster().agentPid(leader)
                .orElseThrow(() -> new IllegalStateException("the agent of leader " + leader + " is not running"));
        List<Long> postgres = ctx.cluster().postgresProcesses(leader);
        List<Long> pids = new ArrayList<>(ProcessTree.withDescendants(List.of(agent)));
        pids.addAll(postgres);
        DelayProxy proxy = ctx.proxies().get(leader);
        long t = MicroClock.nowMicros();
        List<Long> gone = ProcessTree.kill(pids);
        if (proxy != null) {
            proxy.sever();
        }
        LOG.info("kill-primary: SIGKILL to {}'s agent {} with its children, and PostgreSQL {}{}", leader, pids.subList(0,
                        pids.size() - postgres.size()), postgres, gone.isEmpty() ? "" : " (already gone: " + gone + ")");
        boolean recovered = ctx.awaitWritesElsewhere(leader, t);
        long end = MicroClock.nowMicros();
        String restart = ctx.restart();
        return new Injected(leader, t, end, "killed agent " + agent + " (with " + (pids.size() - postgres.size() - 1)
                + " children) and " + postgres.size()
                + " PostgreSQL processes; " + (recovered ? "writes on another member" : "no writes on another member within "
                + ctx.recoveryTimeout().toSeconds() + " s") + " before the restart; " + restart);
    }
}
