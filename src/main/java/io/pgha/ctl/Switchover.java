package io.pgha.ctl;

import io.pgha.contract.ClusterView;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.contract.Cluster;
import io.pgha.contract.Member;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * `switchover` and `failover`: checks the leader and candidate against the cluster, asks what was not
 * given (unless --force), then POSTs to the leader's API (the candidate's when there is no leader). When no
 * API answers it writes the failover key itself, which every Patroni-compatible leader acts on.
 */
public final class Switchover {
    /** What the user asked for; null fields were not given on the command line. */
    public record Request(String scope, boolean failover, String leader, String candidate, String scheduled, boolean force) {}

    private final CtlSession s;

    public Switchover(CtlSession s) {
        this.s = s;
    }

    public void run(Request req) {
        String action = req.failover() && req.leader() == null ? "failover" : "switchover";
        Cluster c = s.store().read(req.scope());
        s.console().println("Current cluster topology");
        s.console().print(MemberTable.render(req.scope(), ClusterView.of(c), false, "pretty"));
        boolean hasLeader = c.leader() != null && !c.leader().name().isEmpty();
        if (action.equals("switchover") && !hasLeader) {
            throw new CtlException("This cluster has no leader");
        }
        String leader = req.leader();
        if (leader == null) {
            if (req.force() || action.equals("failover")) {
                leader = hasLeader ? c.leader().name() : null;
            } else {
                leader = s.console().prompt(ClusterView.isStandbyCluster(c.config()) ? "Standby Leader" : "Primary", c.leader().name());
            }
        }
        if (leader != null && hasLeader && !c.leader().name().equals(leader)) {
            throw new CtlException("Member " + leader + " is not the leader of cluster " + req.scope());
        }
        List<String> candidates = candidates(c, leader);
        if (candidates.isEmpty()) {
            throw new CtlException("No candidates found to " + action + " to");
        }
        String candidate = req.candidate();
        if (candidate == null && !req.force()) {
            candidate = s.console().prompt("Candidate " + pyList(candidates), "");
        }
        if (candidate != null && candidate.isEmpty()) {
            candidate = null;
        }
        if (action.equals("failover") && candidate == null) {
            throw new CtlException("Failover could be performed only to a specific candidate");
        }
        if (candidate != null && candidate.equals(leader)) {
            throw new CtlException(Character.toUpperCase(action.charAt(0)) + action.substring(1) + " target and source are the same.");
        }
        if (candidate != null && !candidates.contains(candidate)) {
            throw new CtlException("Member " + candidate + " does not exist in cluster " + req.scope());
        }
        OffsetDateTime scheduledAt = null;
        if (action.equals("switchover")) {
            String when = req.scheduled();
            if (when == null && !req.force()) {
                when = s.console().prompt("When should the switchover take place (e.g. " + nextHour() + " ) ", "now");
            }
            scheduledAt = PyTime.parseScheduled(when, s.zone());
            if (scheduledAt != null && c.paused()) {
                throw new CtlException("Can't schedule switchover in the paused state");
            }
        }
        String at = scheduledAt == null ? null : PyTime.isoformat(scheduledAt);
        if (!req.force()) {
            String demote = leader != null ? ", demoting current leader " + leader : "";
            boolean yes = at != null
                    ? s.console().confirm("Are you sure you want to schedule " + action + " of cluster " + req.scope() + " at " + at + demote + "?")
                    : s.console().confirm("Are you sure you want to " + action + " cluster " + req.scope() + demote + "?");
            if (!yes) {
                throw new CtlException(at != null ? "Aborting scheduled " + action : "Aborting " + action);
            }
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("leader", leader);
        body.put("candidate", candidate);
        body.put("scheduled_at", at);
        Member target = hasLeader ? MemberSelection.leaderMember(c) : c.members().get(candidate);
        try {
            PatroniApi.Reply r = s.api().call(target, "POST", action, body);
            if (r.status() == 501 && action.equals("switchover") && r.body().contains("Server does not support this operation")) {
                r = s.api().call(target, "POST", "failover", body); // an agent too old for /switchover
            }
            if (r.status() != 200 && r.status() != 202) {
                s.console().fail(Character.toUpperCase(action.charAt(0)) + action.substring(1) + " failed, details: " + r.status() + ", " + r.body());
                return;
            }
            c = s.store().read(req.scope());
            s.console().println(PyTime.timestamp(LocalDateTime.now(s.zone()), true) + " " + r.body());
        } catch (PatroniApi.Unreachable e) {
            s.console().warn(e.getMessage());
            s.console().println(PyTime.timestamp(LocalDateTime.now(s.zone()), true) + " Could not " + action + " using Patroni api, falling back to DCS");
            ObjectNode value = JsonNodeFactory.instance.objectNode();
            if (leader != null) {
                value.put("leader", leader);
            }
            if (candidate != null) {
                value.put("member", candidate);
            }
            if (at != null) {
                value.put("scheduled_at", at);
            }
            s.store().setFailover(req.scope(), value.toString(), 0);
        }
        s.console().print(MemberTable.render(req.scope(), ClusterView.of(c), false, "pretty"));
    }

    /** Every member but the leader without a nofailover tag, sorted by name. */
    static List<String> candidates(Cluster c, String leader) {
        return c.memberNames().stream().filter(n -> !n.equals(leader) && !c.members().get(n).tag("nofailover")).toList();
    }

    static String pyList(List<String> names) {
        return "[" + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()) + "]";
    }

    static String nextHour() {
        return LocalDateTime.now().plusHours(1).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
    }
}
