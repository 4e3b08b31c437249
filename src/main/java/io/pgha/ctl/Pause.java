package io.pgha.ctl;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.contract.Cluster;
import io.pgha.contract.Member;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * `pause` / `resume`: PATCH /config {"pause": true} or {"pause": null} (null deletes the key, so a resumed
 * cluster has no pause entry at all), sent to the leader first and then to the others until one answers;
 * with --wait, polls the member keys until every member echoes the new state or loop_wait + 1 s pass.
 */
public final class Pause {
    private final CtlSession s;

    public Pause(CtlSession s) {
        this.s = s;
    }

    public void run(String scope, boolean pause, boolean wait) {
        Cluster c = s.store().read(scope);
        if (c.paused() == pause) {
            throw new CtlException(pause ? "Cluster is already paused" : "Cluster is not paused");
        }
        String verb = pause ? "pause" : "resume";
        String done = pause ? "paused" : "resumed";
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (pause) {
            body.put("pause", true);
        } else {
            body.putNull("pause");
        }
        for (Member m : MemberSelection.leaderFirst(c)) {
            PatroniApi.Reply r;
            try {
                r = s.api().call(m, "PATCH", "config", body);
            } catch (PatroniApi.Unreachable e) {
                s.console().warn(e.getMessage());
                s.console().warn("Member " + m.name() + " is not accessible");
                continue;
            }
            if (r.status() != 200) {
                s.console().fail("Failed: " + verb + " cluster management status code=" + r.status() + ", (" + r.body() + ")");
            } else if (wait) {
                awaitMembers(scope, pause, c);
            } else {
                s.console().println("Success: cluster management is " + done);
            }
            return;
        }
        throw new CtlException("Can not find accessible cluster member");
    }

    private void awaitMembers(String scope, boolean pause, Cluster before) {
        s.console().println("'" + (pause ? "pause" : "resume") + "' request sent, waiting until it is recognized by all nodes");
        Set<String> watched = before.members().values().stream().filter(m -> m.apiUrl() != null).map(Member::name).collect(Collectors.toSet());
        long loopWait = before.config() == null ? 10 : before.config().path("loop_wait").asLong(10);
        long deadline = System.nanoTime() + Duration.ofSeconds(loopWait + 1).toNanos();
        while (true) {
            Cluster now = s.store().read(scope);
            List<String> behind = now.memberNames().stream().filter(watched::contains)
                    .filter(n -> MemberTable.truthy(now.members().get(n).data().get("pause")) != pause).toList();
            if (behind.isEmpty()) {
                s.console().println("Success: cluster management is " + (pause ? "paused" : "resumed"));
                return;
            }
            if (System.nanoTime() > deadline) {
                s.console().fail(String.join(", ", behind) + " members didn't recognized pause state after " + loopWait + " seconds");
                return;
            }
            try {
                Thread.sleep(Math.min(1000, s.pollInterval().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CtlException("interrupted");
            }
        }
    }
}
