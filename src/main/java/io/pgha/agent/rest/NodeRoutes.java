package io.pgha.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Node-level write endpoints (patroni-compat.md §5.5): POST and DELETE /restart, POST /reinitialize,
 * POST /reload, POST /failsafe. Validation here; the work itself is the agent's {@link NodeTasks}.
 */
public final class NodeRoutes {

    private final AgentControl agent;
    private final NodeStatusSource status;

    public NodeRoutes(AgentControl agent, NodeStatusSource status) {
        this.agent = agent;
        this.status = status;
    }

    public void register(RestApi api) {
        api.route("POST", "restart", this::restart);
        api.route("DELETE", "restart", req -> agent.tasks().cancelScheduledRestart());
        api.route("POST", "reinitialize", req -> {
            RestReply[] err = new RestReply[1];
            JsonNode body = JsonBody.read(req, true, err);
            if (body == null) {
                return err[0];
            }
            return agent.tasks().reinitialize(body.path("force").asBoolean(false));
        });
        api.route("POST", "reload", req -> agent.tasks().reload());
        api.route("POST", "failsafe", req -> {
            RestReply[] err = new RestReply[1];
            JsonNode body = JsonBody.read(req, false, err);
            if (body == null) {
                return err[0];
            }
            return agent.tasks().failsafe(body);
        });
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
        if (r.scheduledAt() != null && status.current().paused()) {
            return RestReply.text(500, "Can't schedule restart in the paused state");
        }
        return agent.tasks().restart(r);
    }
}
