package io.pgha.config;

import java.util.List;

/**
 * Renders haproxy.cfg for a cluster: clients reach the primary on the read-write port and the
 * standbys, round robin, on the read-only port. HAProxy finds out who is who by asking each member's
 * agent (GET /primary, GET /replica: 200 or 503), exactly as with Patroni. Pure: no I/O.
 *
 * <p>HAProxy runs in the foreground (its supervisor records the pid), so the file has no daemon or
 * pidfile setting.
 */
public final class HaproxyConfigRenderer {

    /**
     * Checks tuned for fast failover. A server that is up is asked every 500 ms; once a check fails
     * HAProxy re-checks every 250 ms (fastinter) and marks it down after 2 failures in a row (fall 2),
     * so an old primary loses its traffic at most about 750 ms after its agent stops answering 200.
     * A server that is down is asked every 100 ms (downinter) and comes up on the first 200 (rise 1):
     * the new primary gets traffic at most about 100 ms after its agent reports it (with 250 ms this
     * step was a quarter of the time from key expiry to the first write). Two failures, not
     * one, keep a single slow answer from flapping the primary. on-marked-down shutdown-sessions cuts
     * the clients still connected to a member that is no longer the primary, so none keeps writing to
     * (or waiting on) a demoted server. The agents answer these checks from their cached state, so the
     * extra requests cost no SQL and no etcd round trip.
     */
    static final String DEFAULT_SERVER =
            "default-server inter 500ms fastinter 250ms downinter 100ms rise 1 fall 2 on-marked-down shutdown-sessions";

    public String render(HaproxyConfig c) {
        StringBuilder out = new StringBuilder();
        lines(out,
                "# HAProxy for a pgha cluster, rendered by pgha.",
                "global",
                "    # a fixed limit, not one derived from the open-file limit (which may be huge)",
                "    maxconn 1000",
                "",
                "defaults",
                "    mode tcp",
                "    timeout connect 2s",
                "    # PostgreSQL sessions may idle for long",
                "    timeout client 30m",
                "    timeout server 30m",
                "    # an agent that takes longer than 1 s to answer a health check counts as failed",
                "    timeout check 1s",
                "",
                "listen stats",
                "    mode http",
                "    bind " + c.bindAddress() + ":" + c.statsPort(),
                "    stats enable",
                "    stats uri /",
                "    stats refresh 5s",
                "");
        listener(out, "primary", c.bindAddress(), c.readWritePort(), "/primary", false, c.servers());
        out.append('\n');
        listener(out, "replicas", c.bindAddress(), c.readOnlyPort(), "/replica", true, c.servers());
        return out.toString();
    }

    private static void listener(StringBuilder out, String name, String bind, int port, String checkPath,
                                 boolean roundRobin, List<HaproxyConfig.Server> servers) {
        lines(out, "listen " + name, "    bind " + bind + ":" + port);
        if (roundRobin) {
            lines(out, "    balance roundrobin");
        }
        lines(out,
                "    option httpchk GET " + checkPath,
                "    http-check expect status 200",
                "    # checked every 500 ms while up, 250 ms while failing, 100 ms while down; down after 2 failed checks, up after 1",
                "    " + DEFAULT_SERVER);
        for (HaproxyConfig.Server s : servers) {
            lines(out, "    server " + s.name() + " " + s.host() + ":" + s.port() + " check port " + s.checkPort());
        }
    }

    private static void lines(StringBuilder out, String... lines) {
        for (String l : lines) {
            out.append(l).append('\n');
        }
    }
}
