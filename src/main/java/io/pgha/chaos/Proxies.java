package io.pgha.chaos;

import io.pgha.local.LocalLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The harness's delaying proxies, started before {@code pgha local up} so the cluster finds them: in the
 * replication path (one per member, on its advertised PostgreSQL port) and between the agents and etcd (one
 * per etcd member, on the port the agents reach it at). The ports of a new cluster follow from the port base
 * the way {@link LocalLayout#fromPortBase} lays them out; an existing cluster's come from its cluster.json.
 */
final class Proxies {

    private Proxies() {}

    /**
     * The replication proxies, by member; none when {@code delay} is zero.
     *
     * @param existing the cluster's layout, or null when the run creates it with {@code --pg-advertise-port-offset offset}
     */
    static Map<String, DelayProxy> replication(LocalLayout existing, Path dir, int members, int portBase, int offset,
                                               Duration delay) {
        Map<String, DelayProxy> proxies = new LinkedHashMap<>();
        if (delay.isZero()) {
            return proxies;
        }
        try {
            if (existing == null) {
                for (int k = 1; k <= members; k++) {
                    int pg = portBase + 100 + k;
                    proxies.put("m" + k, new DelayProxy("m" + k, pg + offset, pg, delay));
                }
            } else {
                for (LocalLayout.Member m : existing.members()) {
                    if (m.advertisedPostgresPort() == m.postgresPort()) {
                        throw new IllegalArgumentException("the cluster in " + dir + " was created without "
                                + "--pg-advertise-port-offset: there is no place for a replication delay");
                    }
                    proxies.put(m.name(), new DelayProxy(m.name(), m.advertisedPostgresPort(), m.postgresPort(), delay));
                }
            }
        } catch (IOException e) {
            proxies.values().forEach(DelayProxy::close);
            throw new UncheckedIOException("cannot start the replication proxies", e);
        }
        return proxies;
    }

    /**
     * The proxies between the agents and etcd, by etcd member, without delay until a slow-etcd fault sets one.
     *
     * @param existing the cluster's layout, or null when the run creates it with {@code --etcd-port-offset offset}
     */
    static Map<String, DelayProxy> etcd(LocalLayout existing, Path dir, int portBase, int offset) {
        Map<String, DelayProxy> proxies = new LinkedHashMap<>();
        try {
            if (existing == null) {
                for (int i = 1; i <= 3; i++) {
                    int client = portBase + 10 + i;
                    proxies.put("e" + i, new DelayProxy("etcd-e" + i, client + offset, client, Duration.ZERO));
                }
            } else {
                for (LocalLayout.EtcdMember e : existing.etcd()) {
                    if (e.agentPort() == e.clientPort()) {
                        throw new IllegalArgumentException("the cluster in " + dir + " was created without "
                                + "--etcd-port-offset: its agents reach etcd directly, there is no place to slow it");
                    }
                    proxies.put(e.name(), new DelayProxy("etcd-" + e.name(), e.agentPort(), e.clientPort(), Duration.ZERO));
                }
            }
        } catch (IOException e) {
            proxies.values().forEach(DelayProxy::close);
            throw new UncheckedIOException("cannot start the etcd proxies", e);
        }
        return proxies;
    }
}
