package io.pgha.agent.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.config.DynamicConfigValidator;
import io.pgha.config.GucCatalog;
import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterView;
import io.pgha.contract.DcsKeys;

/**
 * Cluster-wide endpoints (patroni-compat.md §5.4, §5.5): GET /cluster, /history, /config, /failsafe;
 * PATCH and PUT /config; POST /switchover and /failover, DELETE /switchover. Each reads the DCS afresh.
 */
public final class ClusterRoutes {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterRoutes.class);
    /** How often a switchover request looks for its outcome. */
    private static final long POLL_MILLIS = 100;

    private final AgentControl agent;
    private final GucCatalog gucs;

    /** Parameter names are checked for their form only; see the other constructor. */
    public ClusterRoutes(AgentControl agent) {
        this(agent, GucCatalog.NONE);
    }

    /** @param gucs the local server's parameter names, which PATCH and PUT /config check new parameters against */
    public ClusterRoutes(AgentControl agent, GucCatalog gucs) {
        this.agent = agent;
        this.gucs = gucs;
    }

    public void register(RestApi api) {
        api.route("GET", "cluster", req -> JsonBody.json(200, ClusterView.of(agent.readCluster(), true).put("scope", agent.scope())));
        api.route("GET", "history", req -> {
            JsonNode h = agent.readCluster().history();
            return JsonBody.json(200, h == null || !h.isArray() ? JsonBody.JSON.createArrayNode() : h);
        });
        api.route("GET", "config", req -> {
            Cluster c = agent.readCluster();
            return c.config() == null ? RestReply.text(502, "No configuration in the DCS") : configReply(c.config(), c.configModRevision());
        });
        api.route("GET", "failsafe", req -> {
            Cluster c = agent.readCluster();
            JsonNode fs = c.config() == null ? null : c.config().get("failsafe_mode");
            return fs == null || !fs.asBoolean(false) ? RestReply.text(502, "Failsafe mode is not enabled")
                    : JsonBody.json(200, c.failsafe() != null && c.failsafe().isObject() ? c.failsafe() : JsonBody.JSON.createObjectNode());
        });
        api.route("PATCH", "config", this::patchConfig);
        api.route("PUT", "config", this::putConfig);
        api.route("POST", "switchover", req -> failover(req, "switchover"));
        api.route("POST", "failover", req -> failover(req, "failover"));
        api.route("DELETE", "switchover", req -> cancelSwitchover());
    }

    private static RestReply configReply(JsonNode config, long modRevision) {
        return JsonBody.json(200, config).withHeader("ETag", "\"" + modRevision + "\"");
    }

    /**
     * Deep merge into the stored config, written only if nobody changed it since we read it. A client may pin
     * the version it edited with {@code If-Match: "<mod revision>"} (the ETag of GET /config): a stale one gets 409.
     */
    private RestReply patchConfig(RestRequest req) throws Exception {
        RestReply[] err = new RestReply[1];
        JsonNode patch = JsonBody.read(req, false, err);
        if (patch == null) {
            return err[0];
        }
        Cluster c = agent.readCluster();
        if (c.config() == null) {
            return RestReply.text(503, "Configuration is not available in the DCS");
        }
        String ifMatch = JsonBody.header(req, "If-Match");
        if (ifMatch != null && !ifMatch.replace("\"", "").trim().equals(Long.toString(c.configModRevision()))) {
            return RestReply.text(409, "Config was changed by someone else (version " + c.configModRevision() + ")");
        }
        JsonNode merged = JsonMerge.merge(c.config(), patch);
        RestReply refused = refusal("PATCH", merged);
        if (refused != null) {
            return refused;
        }
        String text = JsonBody.JSON.writeValueAsString(merged);
        if (!agent.compareAndSet(DcsKeys.CONFIG, text, c.configModRevision())) {
            return RestReply.text(409, "Config was changed by someone else");
        }
        agent.wakeUp();
        return JsonBody.json(200, merged);
    }

    /**
     * 422 naming every problem when the configuration to be stored is invalid (nothing is written then), else null.
     * The whole result is checked, not only the patch: the timing rule spans keys, and the key may hold values
     * written around the API; a patch that fixes them all is accepted.
     */
    private RestReply refusal(String method, JsonNode config) {
        DynamicConfigValidator.Verdict v = DynamicConfigValidator.validate(config, gucs);
        if (!v.ok()) {
            LOG.info("[{}/{}] {} /config refused: {}", agent.scope(), agent.name(), method, v.message());
            return RestReply.text(422, v.message());
        }
        if (!v.uncheckedNames().isEmpty()) {
            LOG.warn("[{}/{}] {} /config: parameter names {} could not be checked (the server's list is not available)",
                    agent.scope(), agent.name(), method, v.uncheckedNames());
        }
        return null;
    }

    private RestReply putConfig(RestRequest req) throws Exception {
        RestReply[] err = new RestReply[1];
        JsonNode config = JsonBody.read(req, false, err);
        if (config == null) {
            return err[0];
        }
        RestReply refused = refusal("PUT", config);
        if (refused != null) {
            return refused;
        }
        try {
            agent.put(DcsKeys.CONFIG, JsonBody.JSON.writeValueAsString(config));
        } catch (Exception e) {
            return RestReply.text(502, "Failed to write the config into the DCS: " + e.getMessage());
        }
        agent.wakeUp();
        return JsonBody.json(200, config);
    }

    private RestReply failover(RestRequest req, String action) throws Exception {
        RestReply[] err = new RestReply[1];
        JsonNode body = JsonBody.read(req, false, err);
        if (body == null) {
            return err[0];
        }
        String leader;
        String candidate;
        String scheduled;
        try {
            leader = JsonFields.name(body, "leader");
            String named = JsonFields.name(body, "candidate");
            String member = JsonFields.name(body, "member"); // type-checked even when candidate wins
            candidate = named != null ? named : member;
            scheduled = JsonFields.name(body, "scheduled_at");
        } catch (JsonFields.WrongType e) {
            return e.reply();
        }
        Cluster c = agent.readCluster();
        if (action.equals("failover") && candidate == null) {
            return RestReply.text(400, "Failover could be performed only to a specific candidate");
        }
        if (action.equals("switchover") && leader == null) {
            return RestReply.text(400, "Switchover could be performed only from a specific leader");
        }
        Long at = null;
        if (scheduled != null) {
            if (action.equals("failover")) {
                return RestReply.text(400, "Failover can't be scheduled");
            }
            if (c.paused()) {
                return RestReply.text(400, "Can't schedule switchover in the paused state");
            }
            try {
                at = RestartRequest.Schedules.parse(scheduled, action, System.currentTimeMillis());
            } catch (RestartRequest.Invalid e) {
                return RestReply.text(e.status(), e.getMessage());
            }
        }
        if (c.paused() && candidate == null) {
            return RestReply.text(400, "Switchover is possible only to a specific candidate in a paused state");
        }
        if (action.equals("failover") && leader != null) {
            action = "switchover";
        }
        if (leader != null && leader.equals(candidate)) {
            return RestReply.text(400, "Switchover target and source are the same");
        }
        String refusal = refusal(c, leader, candidate, action);
        if (refusal != null) {
            return RestReply.text(412, refusal);
        }
        ObjectNode key = JsonBody.JSON.createObjectNode();
        if (leader != null) {
            key.put("leader", leader);
        }
        if (candidate != null) {
            key.put("member", candidate);
        }
        if (at != null) {
            key.put("scheduled_at", RestartRequest.Schedules.isoformat(at));
        }
        try {
            agent.put(DcsKeys.FAILOVER, JsonBody.JSON.writeValueAsString(key));
        } catch (Exception e) {
            return RestReply.text(503, "failed to write failover key into DCS");
        }
        agent.wakeUp();
        if (at != null) {
            return RestReply.text(202, "Switchover scheduled");
        }
        return pollOutcome(c.leader() == null ? null : c.leader().name(), candidate, action);
    }

    /** Patroni's checks before writing the key: the named leader and candidate must make sense. */
    private static String refusal(Cluster c, String leader, String candidate, String action) {
        if (leader != null && (c.leader() == null || !c.leader().name().equals(leader))) {
            return "leader name does not match";
        }
        if (candidate != null) {
            if (action.equals("switchover") && syncModeOn(c) && !ClusterView.syncMembers(c).contains(candidate)) {
                return "candidate name does not match with sync_standby";
            }
            if (!c.members().containsKey(candidate)) {
                return "candidate does not exists";
            }
            var m = c.members().get(candidate);
            if (m.tag("nofailover")) {
                return action + " is not possible: no good candidates have been found";
            }
            if (!m.isRunning()) {
                return action + " is not possible: no good candidates have been found";
            }
            return null;
        }
        boolean any = c.members().values().stream().anyMatch(m -> (c.leader() == null || !m.name().equals(c.leader().name()))
                && m.apiUrl() != null && !m.tag("nofailover") && m.isRunning());
        return any ? null : action + " is not possible: cluster does not have members except leader";
    }

    private static boolean syncModeOn(Cluster c) {
        return c.config() != null && c.config().path("synchronous_mode").asBoolean(false);
    }

    /** Waits for the leader to change (or the key to be cleared without a change: failed), like Patroni. */
    private RestReply pollOutcome(String oldLeader, String candidate, String action) {
        String past = action.equals("switchover") ? "switched over" : "failed over";
        long deadline = System.currentTimeMillis() + Math.max(10, agent.loopWaitSeconds()) * 2000L;
        while (System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS); // the outcome is only visible in the DCS; Patroni polls it too
                Cluster c = agent.readCluster();
                if (c.leader() != null && !c.leader().name().equals(oldLeader)) {
                    String now = c.leader().name();
                    return candidate == null || candidate.equals(now)
                            ? RestReply.text(200, "Successfully " + past + " to \"" + now + "\"")
                            : RestReply.text(200, Character.toUpperCase(past.charAt(0)) + past.substring(1) + " to \"" + now
                                    + "\" instead of \"" + candidate + "\"");
                }
                if (!pending(c.failover())) {
                    return RestReply.text(503, Character.toUpperCase(action.charAt(0)) + action.substring(1) + " failed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                LOG.debug("polling the {} outcome: {}", action, e.toString()); // a DCS hiccup: keep looking, as Patroni does
            }
        }
        return RestReply.text(503, Character.toUpperCase(action.charAt(0)) + action.substring(1) + " status unknown");
    }

    private RestReply cancelSwitchover() throws Exception {
        Cluster c = agent.readCluster();
        JsonNode fo = c.failover();
        if (fo == null || !fo.hasNonNull("scheduled_at")) {
            return RestReply.text(404, "no switchover is scheduled");
        }
        if (!agent.compareAndSet(DcsKeys.FAILOVER, "{}", c.failoverModRevision())) {
            return RestReply.text(409, "Failed to delete scheduled switchover");
        }
        return RestReply.text(200, "scheduled switchover deleted");
    }

    /** Whether the failover key still holds a request: a leader or a member named (the HA loop clears it to {}). */
    private static boolean pending(JsonNode failoverKey) {
        return failoverKey != null && failoverKey.isObject()
                && (!failoverKey.path("leader").asText("").isEmpty() || !failoverKey.path("member").asText("").isEmpty());
    }
}
