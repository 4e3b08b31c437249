package io.pgha.config;

import java.util.List;

/**
 * HAProxy in front of a cluster: a read-write and a read-only frontend, a stats page, and one server
 * per member.
 *
 * @param bindAddress the address every listener binds (loopback for {@code pgha local})
 */
public record HaproxyConfig(String bindAddress, int readWritePort, int readOnlyPort, int statsPort,
                            List<Server> servers) {

    /**
     * One member as HAProxy sees it.
     *
     * @param port      where client traffic goes (the member's PgBouncer)
     * @param checkPort the member's agent REST API, asked GET /primary or GET /replica
     */
    public record Server(String name, String host, int port, int checkPort) {}

    public HaproxyConfig {
        if (servers == null || servers.isEmpty()) {
            throw new IllegalArgumentException("HAProxy needs at least one server");
        }
        servers = List.copyOf(servers);
    }
}
