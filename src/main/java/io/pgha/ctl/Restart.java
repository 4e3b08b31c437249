package io.pgha.ctl;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.contract.Cluster;
import io.pgha.contract.Member;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** `restart`: POST /restart to each chosen member, now or at a scheduled time, with its conditions. */
public final class Restart {
    /** What the user asked for; null fields were not given. */
    public record Request(String scope, List<String> members, String role, boolean any, String scheduled,
                          String pgVersion, boolean pending, String timeout, boolean force) {}

    private final CtlSession s;

    public Restart(CtlSession s) {
        this.s = s;
    }

    public void run(Request req) {
        Cluster c = s.store().read(req.scope());
        List<Member> members = new ArrayList<>(MemberSelection.choose(s, c, req.scope(), req.members(), req.role(), req.force(), "restart", false));
        String when = req.scheduled();
        if (when == null && !req.force()) {
            when = s.console().prompt("When should the restart take place (e.g. " + Switchover.nextHour() + ") ", "now");
        }
        OffsetDateTime at = PyTime.parseScheduled(when, s.zone());
        MemberSelection.confirm(s, members, req.force(), "restart", at == null ? null : PyTime.isoformat(at).replace('T', ' '));
        if (req.any()) {
            Collections.shuffle(members);
            members = members.subList(0, Math.min(1, members.size()));
        }
        String version = req.pgVersion();
        if (version == null && !req.force()) {
            version = s.console().prompt("Restart if the PostgreSQL version is less than provided (e.g. 9.5.2) ", "");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (req.pending()) {
            body.put("restart_pending", true);
        }
        if (version != null && !version.isEmpty()) {
            checkPostgresVersion(version);
            body.put("postgres_version", version);
        }
        if (at != null) {
            if (c.paused()) {
                throw new CtlException("Can't schedule restart in the paused state");
            }
            body.put("schedule", PyTime.isoformat(at));
        }
        if (req.timeout() != null) {
            body.put("timeout", req.timeout()); // patronictl passes it on as text; the agent parses it
        }
        for (Member m : members) {
            if (at != null && req.force() && m.data().hasNonNull("scheduled_restart")) {
                PatroniApi.Reply d = s.api().call(m, "DELETE", "restart", null);
                if (d.status() >= 400) {
                    s.console().fail("Failed: flush scheduled restart for member " + m.name() + ", status code=" + d.status() + ", (" + d.body() + ")");
                }
            }
            PatroniApi.Reply r = s.api().call(m, "POST", "restart", body);
            switch (r.status()) {
                case 200 -> s.console().println("Success: restart on member " + m.name());
                case 202 -> s.console().println("Success: restart scheduled on member " + m.name());
                case 409 -> s.console().fail("Failed: another restart is already scheduled on member " + m.name());
                default -> s.console().fail("Failed: restart for member " + m.name() + ", status code=" + r.status() + ", (" + r.body() + ")");
            }
        }
    }

    /** X.Y.Z, or X.Y from PostgreSQL 10 on, as Patroni accepts it. */
    static void checkPostgresVersion(String v) {
        String[] parts = v.split("\\.", -1);
        int first;
        try {
            for (String p : parts) {
                Integer.parseInt(p.trim());
            }
            first = Integer.parseInt(parts[0].trim());
        } catch (NumberFormatException e) {
            throw new CtlException("Invalid PostgreSQL version: " + v);
        }
        if (parts.length < 2 || parts.length == 2 && first < 10 || parts.length > 3) {
            throw new CtlException("Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: " + v);
        }
    }
}
