package io.pgha.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.agent.dcs.DcsException;
import io.pgha.agent.dcs.Dcs;
import io.pgha.config.AgentSettings;
import io.pgha.contract.Cluster;
import io.pgha.contract.DcsKeys;
import io.pgha.contract.Member;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failsafe mode (patroni-compat.md §3.7): a primary that cannot reach etcd keeps running only while every
 * member of the last known {@code failsafe} list accepts its POST /failsafe. A member that accepts promises not
 * to race for the leader lock for ttl seconds from then, so the primary's authority lasts ttl from the moment
 * it sent the request (never later than any member received it); the fence and the watchdog count from that.
 */
final class Failsafe {
    private static final Logger LOG = LoggerFactory.getLogger(Failsafe.class);

    private final AgentSettings s;
    private final Dcs dcs;
    private final FailsafeRequests peers;
    private final Fence fence;
    private final String log;
    /** The failsafe key as of the last good DCS read. */
    private volatile JsonNode lastMap;
    private volatile boolean active;
    /** A primary that asked us, during its etcd outage, not to race: its name and until when (System.nanoTime). */
    private volatile String rememberedLeader;
    private volatile long rememberedUntilNanos;

    /** Longest promise a POST /failsafe can ask of us (Patroni's ttl has no upper bound; an hour is plenty). */
    static final int MAX_REQUESTED_TTL = 3600;
    static final String RUNNING_AS_LEADER = "Running as a leader";
    private final java.util.function.LongSupplier clock;
    private final long startedNanos;

    Failsafe(AgentSettings s, Dcs dcs, FailsafeRequests peers, Fence fence, String logPrefix) {
        this(s, dcs, peers, fence, logPrefix, System::nanoTime);
    }

    Failsafe(AgentSettings s, Dcs dcs, FailsafeRequests peers, Fence fence, String logPrefix, java.util.function.LongSupplier clock) {
        this.clock = clock;
        this.startedNanos = clock.getAsLong();
        this.s = s;
        this.dcs = dcs;
        this.peers = peers;
        this.fence = fence;
        this.log = logPrefix;
    }

    /** A DCS read: remember the failsafe list (leaving failsafe waits for a working write, see dcsWorks). */
    void seen(Cluster c) {
        lastMap = c.failsafe();
    }

    /** etcd took our writes again (a read alone may come from a member without quorum). */
    void dcsWorks() {
        if (active) {
            active = false;
            LOG.info("{}DCS is accessible again: no longer running on failsafe", log);
        }
    }

    boolean active() {
        return active;
    }

    /** The leader's chore with failsafe_mode on: the list holds every member with a REST API, and itself. */
    void publish(Cluster c, DynamicConfig dyn) throws DcsException {
        if (!dyn.failsafeMode() || !c.hasLeader(s.name())) {
            return;
        }
        ObjectNode map = JsonNodeFactory.instance.objectNode();
        c.memberNames().forEach(name -> {
            Member m = c.members().get(name);
            if (m.apiUrl() != null) {
                map.put(name, m.apiUrl());
            }
        });
        map.put(s.name(), s.apiUrl());
        if (!map.equals(c.failsafe())) {
            dcs.put(DcsKeys.FAILSAFE, map.toString());
            // the list etcd now holds is the one the members read: if etcd goes before our next read, it is this
            // list we must ask (found by the simulation: a member added here was never asked and raced)
            lastMap = map;
        }
    }

    /**
     * A primary that cannot read etcd: asks every other member of the last list. True when all accepted (a list
     * of one passes); the fence then counts our authority from the moment we asked.
     */
    boolean confirm(DynamicConfig dyn) {
        JsonNode map = lastMap;
        if (!dyn.failsafeMode() || map == null || !map.has(s.name())) {
            return false;
        }
        Map<String, String> urls = new LinkedHashMap<>();
        map.fields().forEachRemaining(e -> {
            if (!e.getKey().equals(s.name())) {
                urls.put(e.getKey(), e.getValue().asText().replaceFirst("/patroni$", "") + "/failsafe");
            }
        });
        // "ttl" is pgha's addition: a pgha member promises at least the primary's ttl, whatever its own view of
        // the config says (Patroni members ignore it and promise their own, which is the same key's value)
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", s.name()).put("conn_url", s.connUrl())
                .put("api_url", s.apiUrl()).put("ttl", dyn.ttl());
        body.putObject("slots");
        long sent = clock.getAsLong();
        Map<String, Boolean> answers = urls.isEmpty() ? Map.of() : peers.postAll(urls, body.toString(), authorization());
        boolean all = answers.values().stream().allMatch(Boolean::booleanValue);
        if (all) {
            fence.failsafeUntil(sent + TimeUnit.SECONDS.toNanos(dyn.ttl()));
            if (!active) {
                LOG.warn("{}continue to run as a leader because failsafe mode is enabled and all members are accessible", log);
            }
            active = true;
        } else {
            LOG.error("{}failsafe: not every member accepted ({}): the primary must stop", log, answers);
            active = false;
        }
        return all;
    }

    /**
     * POST /failsafe from a primary that cannot reach etcd: remember it as leader, unless we run as a primary
     * ourselves, for the longer of our ttl and the one the primary counts its authority by (its {@code ttl}
     * field; hole 9 of issue 11: our own ttl alone could be the shorter one while a ttl change spreads).
     * Returns null when accepted, else the refusal.
     */
    synchronized String accept(JsonNode body, boolean runningAsPrimary, int ownTtl) {
        if (runningAsPrimary) {
            return RUNNING_AS_LEADER;
        }
        JsonNode n = body.get("name");
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            return "name must be a non-empty string";
        }
        String name = n.asText();
        JsonNode asked = body.get("ttl");
        if (asked != null && !(asked.isIntegralNumber() && asked.asLong() > 0 && asked.asLong() <= MAX_REQUESTED_TTL)) {
            return "ttl must be an integer from 1 to " + MAX_REQUESTED_TTL;
        }
        int ttl = Math.max(ownTtl, asked == null ? 0 : asked.asInt());
        long now = clock.getAsLong();
        if (!name.equals(rememberedLeader) || now - rememberedUntilNanos >= 0) {
            LOG.warn("{}failsafe: {} runs as primary without etcd; not racing for the lock for {} s", log, name, ttl);
        }
        // a later, shorter request never shortens a promise already given
        long until = now + TimeUnit.SECONDS.toNanos(ttl);
        rememberedUntilNanos = name.equals(rememberedLeader) && rememberedUntilNanos - until > 0 ? rememberedUntilNanos : until;
        rememberedLeader = name;
        return null;
    }

    /** The primary that asked us not to race, while that request holds; else null. */
    String rememberedLeader() {
        String name = rememberedLeader;
        return name != null && clock.getAsLong() - rememberedUntilNanos < 0 ? name : null;
    }

    /** Stands in for the name of a primary this member may have promised before its agent (re)started. */
    static final String UNKNOWN_PRIMARY = "a primary this member may have answered before its agent started";

    /**
     * The promise in force for the decision. A promise lives in this process only: an agent restarted (after a
     * safety fault, say) cannot know what its previous process promised a primary running on failsafe, so with
     * failsafe mode on it keeps out of the race for ttl after it started (found by the simulation: a restarted
     * standby took the lock next to a failsafe primary it had answered a second before).
     */
    String promiseInForce(DynamicConfig dyn) {
        String name = rememberedLeader();
        if (name == null && dyn.failsafeMode() && clock.getAsLong() - startedNanos < TimeUnit.SECONDS.toNanos(dyn.ttl())) {
            return UNKNOWN_PRIMARY;
        }
        return name;
    }

    private String authorization() {
        AgentSettings.Login a = s.restapi().authentication();
        if (a == null) {
            return null;
        }
        return "Basic " + Base64.getEncoder().encodeToString((a.username() + ":" + a.password()).getBytes(StandardCharsets.UTF_8));
    }
}
