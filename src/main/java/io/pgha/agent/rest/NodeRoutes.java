package io.pgha.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Node-level write endpoints (patroni-compat.md §5.5): POST and DELETE /restart, POST /reinitialize,
 * POST /reload, POST /failsafe. Validation here, and the one-task-at-a-time rule ({@link NodeTaskGuard}); the
 * work itself is the agent's {@link NodeTasks}.
 */
public final class NodeRoutes {

    private final AgentControl agent;
    private final NodeStatusSource status;
    private final NodeTaskGuard guard = new NodeTaskGuard();

    public NodeRoutes(AgentControl agent, NodeStatusSource status) {
        this.agent = agent;
        this.status = status;
    }

    public void register(RestApi api) {
        api.route("POST", "restart", this::restart);
        api.route("DELETE", "restart", req -> agent.tasks().cancelScheduledRestart());
        api.route("POST", "reinitialize", this::reinitialize);
        api.route("POST", "reload", req -> agent.tasks().reload());
        api.route("POST", "failsafe", this::failsafe);
    }

    private RestReply restart(RestRequest req) {
        RestReply[] err = new RestReply[1];
        JsonNode body = JsonBody.read(req, true, err);
        if (body == null) {
            return err[0];
        }
        RestartRequest r;
        try {
            r = RestartRequest.parse(body, System.currentTimeMillis());
        } catch (RestartRequest.Invalid e) {
            return RestReply.text(e.status(), e.getMessage());
        }
        if (r.scheduledAt() != null) {
            // Patroni answers 500 here; it is a refusal of a valid request, not a server fault
            return status.current().paused() ? RestReply.text(409, "Can't schedule restart in the paused state")
                    : agent.tasks().restart(r);
        }
        return guard.exclusive("restart", () -> agent.tasks().restart(r));
    }

    /** {@code force} and Patroni 3.1's {@code from_leader} (a clone always comes from the leader here). */
    private RestReply reinitialize(RestRequest req) {
        RestReply[] err = new RestReply[1];
        JsonNode body = JsonBody.read(req, true, err);
        if (body == null) {
            return err[0];
        }
        boolean force;
        try {
            force = JsonFields.bool(body, "force", false);
            JsonFields.bool(body, "from_leader", false);
        } catch (JsonFields.WrongType e) {
            return e.reply();
        }
        return guard.exclusive("reinitialize", () -> agent.tasks().reinitialize(force));
    }

    /** A primary without etcd asks us not to race for the lock: its name, urls and slots (name → LSN). */
    private RestReply failsafe(RestRequest req) {
        if (!agent.tasks().failsafeMode()) {
            return RestReply.text(502, "Failsafe mode is not enabled");
        }
        RestReply[] err = new RestReply[1];
        JsonNode body = JsonBody.read(req, false, err);
        if (body == null) {
            return err[0];
        }
        try {
            if (JsonFields.name(body, "name") == null) {
                return RestReply.text(400, "name must be a non-empty string");
            }
            JsonFields.string(body, "api_url");
            JsonFields.string(body, "conn_url");
            JsonNode slots = JsonFields.object(body, "slots");
            if (slots != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = slots.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> slot = it.next();
                    if (!slot.getValue().isIntegralNumber()) {
                        return RestReply.text(400, "slots." + slot.getKey() + " must be an integer");
                    }
                }
            }
        } catch (JsonFields.WrongType e) {
            return e.reply();
        }
        return agent.tasks().failsafe(body);
    }
}
