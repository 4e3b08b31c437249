package io.pgha.chaos;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PostgreSQL crashes under a live agent: kill -9 of the leader's postmaster and its children. The agent restarts it. */
final class KillPostgres implements Fault {

    private static final Logger LOG = LoggerFactory.getLogger(KillPostgres.class);

    @Override
    public Injected inject(FaultContext ctx, String leader) {
        List<Long> postgres = ctx.cluster().postgresProcesses(leader);
        if (postgres.isEmpty()) {
            throw new IllegalStateException("no postmaster of leader " + leader + " is running");
        }
        long t = MicroClock.nowMicros();
        List<Long> gone = ProcessTree.kill(postgres);
        LOG.info("kill-postgres: SIGKILL to {}'s PostgreSQL {}{}", leader, postgres, gone.isEmpty() ? "" : " (already gone: " + gone + ")");
        return new Injected(leader, t, t, "killed postmaster " + postgres.get(0) + " and " + (postgres.size() - 1) + " children");
    }
}
