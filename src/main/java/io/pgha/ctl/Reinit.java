package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.contract.Cluster;
import io.pgha.contract.Member;
import java.util.ArrayList;
import java.util.List;

/**
 * `reinit`: POST /reinitialize to replicas; offers to cancel a task already running (force), and with
 * --wait polls each member's GET api_url until its state is no longer "creating replica".
 */
public final class Reinit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CtlSession s;

    public Reinit(CtlSession s) {
        this.s = s;
    }

    public void run(String scope, List<String> names, boolean force, boolean wait) {
        Cluster c = s.store().read(scope);
        List<Member> members = MemberSelection.choose(s, c, scope, names, "replica", force, "reinitialize", true);
        List<Member> waitFor = new ArrayList<>();
        for (Member m : members) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("force", force);
            while (true) {
                PatroniApi.Reply r = s.api().call(m, "POST", "reinitialize", body);
                boolean started = r.status() < 400;
                if (started) {
                    s.console().println("Success: reinitialize for member " + m.name());
                    if (wait) {
                        waitFor.add(m);
                    }
                    break;
                }
                if (r.body().endsWith(" already in progress") && !force && !body.get("force").asBoolean()
                        && s.console().confirm("Do you want to cancel it and reinitialize anyway?")) {
                    body.put("force", true);
                    continue;
                }
                s.console().fail("Failed: reinitialize for member " + m.name() + ", status code=" + r.status() + ", (" + r.body() + ")");
                break;
            }
        }
        List<String> shown = List.of();
        while (!waitFor.isEmpty()) {
            List<String> pending = waitFor.stream().map(Member::name).toList();
            if (!pending.equals(shown)) {
                s.console().println("Waiting for reinitialize to complete on: " + String.join(", ", pending));
                shown = pending;
            }
            sleep();
            waitFor.removeIf(m -> {
                if (!"creating replica".equals(state(m))) {
                    s.console().println("Reinitialize is completed on: " + m.name());
                    return true;
                }
                return false;
            });
        }
    }

    private String state(Member m) {
        try {
            JsonNode status = JSON.readTree(s.api().call(m, "GET", null, null).body());
            return status.path("state").asText("");
        } catch (PatroniApi.Unreachable | java.io.IOException e) {
            return "creating replica"; // not answering yet: the new data directory is still being copied
        }
    }

    private void sleep() {
        try {
            Thread.sleep(s.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted");
        }
    }
}
