package io.pgha.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.local.LocalLayout;
import io.pgha.local.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's fence thread dies ({@link FenceThreadStopper}, loaded into its agent's JVM), as an
 * OutOfMemoryError killed it in the review of issue 11. The agent must notice (a safety fault: /liveness 503,
 * {@code watchdog_failed}), stop its PostgreSQL, give the leader key up and never race while the fault lasts;
 * another member takes over. The fault lasts until the agent restarts: once writes are acknowledged
 * elsewhere (or the recovery bound has passed), the harness does what Kubernetes does after a failed liveness
 * probe, SIGTERM to the agent (SIGKILL with its children if it has not exited within the bound), and
 * {@code pgha local up} starts it again; it then rejoins as a replica.
 */
final class FenceThreadDeath implements Fault {

    private static final Logger LOG = LoggerFactory.getLogger(FenceThreadDeath.class);
    private static final Duration REPORT_BOUND = Duration.ofSeconds(10);
    private static final Duration EXIT_BOUND = Duration.ofSeconds(60);
    private final HttpProbe http = new HttpProbe();

    @Override
    public Injected inject(FaultContext ctx, String leader) {
        LocalLayout.Member m = ctx.cluster().layout().member(leader);
        long agent = ctx.cluster().agentPid(leader)
                .orElseThrow(() -> new IllegalStateException("the agent of leader " + leader + " is not running"));
        long t = MicroClock.nowMicros();
        String stopped = AgentAttach.stopFenceThread(agent);
        LOG.info("fence-thread-death: {}'s agent {}: {}", leader, agent, stopped);
        boolean reported = Poll.until(REPORT_BOUND, Duration.ofMillis(50), () -> http.status(m.restBase() + "/liveness") == 503);
        long reportedMs = (MicroClock.nowMicros() - t) / 1000;
        Optional<JsonNode> patroni = http.getJson(m.restUrl());
        boolean flagged = patroni.map(j -> j.path("watchdog_failed").asBoolean(false)).orElse(false);
        LOG.info("fence-thread-death: {}'s /liveness {} ; watchdog_failed {}", leader,
                reported ? "503 after " + reportedMs + " ms" : "not 503 within " + REPORT_BOUND.toSeconds() + " s", flagged);
        boolean elsewhere = ctx.awaitWritesElsewhere(leader, t);
        String exit = restartAgent(agent);
        long end = MicroClock.nowMicros();
        String restart = ctx.restart();
        return new Injected(leader, t, end, "agent " + agent + ": " + stopped + "; /liveness "
                + (reported ? "503 after " + reportedMs + " ms" : "NOT 503 within " + REPORT_BOUND.toSeconds() + " s")
                + ", watchdog_failed " + flagged + "; " + (elsewhere ? "writes on another member"
                : "no writes on another member within " + ctx.recoveryTimeout().toSeconds() + " s") + "; " + exit + "; "
                + restart);
    }

    /** SIGTERM, a bounded wait for the agent to exit, SIGKILL to it and its children if it has not. */
    private static String restartAgent(long agent) {
        ProcessTree.signal("TERM", List.of(agent));
        long t0 = System.nanoTime();
        boolean exited = Poll.until(EXIT_BOUND, Duration.ofMillis(100), () -> ProcessHandle.of(agent).map(p -> !p.isAlive()).orElse(true));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (exited) {
            return "agent exited " + ms + " ms after SIGTERM";
        }
        ProcessTree.kill(ProcessTree.withDescendants(List.of(agent)));
        LOG.warn("fence-thread-death: agent {} still alive {} s after SIGTERM: SIGKILL to it and its children", agent,
                EXIT_BOUND.toSeconds());
        return "agent did not exit within " + EXIT_BOUND.toSeconds() + " s of SIGTERM: SIGKILLed";
    }
}
