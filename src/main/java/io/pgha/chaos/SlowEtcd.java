package io.pgha.chaos;

import io.pgha.local.LocalLayout;
import io.pgha.local.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A slow etcd everywhere: every etcd call of every agent takes {@code perCall} longer (half of it each way,
 * in the proxies the agents reach etcd through: {@code pgha local up --etcd-port-offset}) for 3 × ttl, then
 * normal again. etcd itself is healthy and still answers the harness directly. A slow but working DCS must
 * not cost a healthy primary its role: the result notes whether its log shows a self-fence, and whether
 * another member was promoted.
 */
final class SlowEtcd implements Fault {

    private static final Logger LOG = LoggerFactory.getLogger(SlowEtcd.class);
    /** Its own client: a slowed call outlasts {@link HttpProbe}'s 1 s timeout. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration perCall;

    SlowEtcd(Duration perCall) {
        this.perCall = perCall;
    }

    @Override
    public Injected inject(FaultContext ctx, String leader) {
        if (ctx.etcdProxies().isEmpty()) {
            throw new IllegalStateException("slow-etcd needs the agents to reach etcd through the harness's proxies");
        }
        LocalLayout l = ctx.cluster().layout();
        Map<String, Long> marks = new LinkedHashMap<>();
        l.members().forEach(m -> marks.put(m.name(), AgentLogScan.mark(l.agentLog(m))));
        Duration length = Duration.ofSeconds(3L * ctx.cluster().ttl());
        Duration oneWay = perCall.dividedBy(2);
        long t = MicroClock.nowMicros();
        ctx.etcdProxies().values().forEach(p -> p.delay(oneWay));
        LOG.info("slow-etcd: every etcd call of every agent {} ms slower ({} ms each way) for {} s; leader {}",
                perCall.toMillis(), oneWay.toMillis(), length.toSeconds(), leader);
        long measuredMs = callMillis(ctx.etcdProxies().values().iterator().next().port());
        long directMs = callMillis(l.etcd().get(0).clientPort());
        LOG.info("slow-etcd: GET /health of etcd through a proxy took {} ms, directly {} ms", measuredMs, directMs);
        Duration left = length.minus(Duration.ofNanos((MicroClock.nowMicros() - t) * 1000));
        Poll.pause(left.isNegative() ? Duration.ZERO : left);
        ctx.etcdProxies().values().forEach(p -> p.delay(Duration.ZERO));
        long end = MicroClock.nowMicros();
        LOG.info("slow-etcd: etcd calls at normal speed again");

        AgentLogScan.SelfFence leaderSide = AgentLogScan.scan(lines(l, leader, marks));
        List<String> promoted = new ArrayList<>();
        for (LocalLayout.Member m : l.members()) {
            if (!m.name().equals(leader) && AgentLogScan.count(lines(l, m.name(), marks), "promoted to primary") > 0) {
                promoted.add(m.name());
            }
        }
        String verdict = (leaderSide.any() ? "PRIMARY SELF-FENCED" : "primary not fenced") + " (" + leaderSide + ")"
                + (promoted.isEmpty() ? ", no promotion" : ", promoted: " + promoted);
        if (leaderSide.any() || !promoted.isEmpty()) {
            LOG.warn("slow-etcd: {} during the fault (see {}'s agent.log)", verdict, leader);
        } else {
            LOG.info("slow-etcd: {}", verdict);
        }
        return new Injected("etcd (all calls)", t, end, "every etcd call +" + perCall.toMillis() + " ms for "
                + length.toSeconds() + " s (GET /health through a proxy " + measuredMs + " ms, directly " + directMs
                + " ms); leader " + leader + ": " + verdict);
    }

    /** How long a GET /health of the etcd member behind {@code port} takes, in ms; -1 without an answer. */
    private static long callMillis(int port) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? (System.nanoTime() - t0) / 1_000_000 : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static List<String> lines(LocalLayout l, String member, Map<String, Long> marks) {
        Path log = l.agentLog(l.member(member));
        return AgentLogScan.since(log, marks.get(member));
    }
}
