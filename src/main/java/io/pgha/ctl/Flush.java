package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.contract.Cluster;
import io.pgha.contract.Member;
import java.time.LocalDateTime;
import java.util.List;

/**
 * `flush restart`: DELETE /restart on members with a scheduled restart. `flush switchover`: DELETE
 * /switchover on the leader (then the others); when no member answers, clear the failover key in etcd with
 * a compare-and-set on its revision, as patronictl does.
 */
public final class Flush {
    private final CtlSession s;

    public Flush(CtlSession s) {
        this.s = s;
    }

    public void restarts(String scope, List<String> names, String role, boolean force) {
        Cluster c = s.store().read(scope);
        for (Member m : MemberSelection.choose(s, c, scope, names, role, force, "flush", true)) {
            if (!m.data().hasNonNull("scheduled_restart")) {
                s.console().println("No scheduled restart for member " + m.name());
                continue;
            }
            PatroniApi.Reply r = s.api().call(m, "DELETE", "restart", null);
            if (r.status() >= 400) {
                s.console().fail("Failed: flush scheduled restart for member " + m.name() + ", status code=" + r.status() + ", (" + r.body() + ")");
            } else {
                s.console().println("Success: flush scheduled restart for member " + m.name());
            }
        }
    }

    public void switchover(String scope) {
        Cluster c = s.store().read(scope);
        JsonNode f = c.failover();
        if (f == null || !f.hasNonNull("scheduled_at") || f.get("scheduled_at").asText().isEmpty()) {
            s.console().println("No pending scheduled switchover");
            return;
        }
        for (Member m : MemberSelection.leaderFirst(c)) {
            try {
                PatroniApi.Reply r = s.api().call(m, "DELETE", "switchover", null);
                if (r.status() == 200) {
                    s.console().println("Success: " + r.body());
                    return;
                }
                if (r.status() == 404) {
                    s.console().fail("Failed: " + r.body());
                    return;
                }
                s.console().fail("Failed: member=" + m.name() + ", status_code=" + r.status() + ", (" + r.body() + ")");
            } catch (PatroniApi.Unreachable e) {
                s.console().warn(e.getMessage());
                s.console().warn("Member " + m.name() + " is not accessible");
            }
        }
        s.console().println(PyTime.timestamp(LocalDateTime.now(s.zone()), true) + " Could not find any accessible member of cluster " + scope);
        if (!s.store().setFailover(scope, "{}", c.failoverModRevision())) {
            throw new CtlException("the failover key changed meanwhile; run flush again");
        }
    }
}
