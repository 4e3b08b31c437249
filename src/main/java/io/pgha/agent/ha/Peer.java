package io.pgha.agent.ha;

/**
 * What another member's REST API said during an election or a switchover check; unreachable peers are
 * ignored in elections (the DCS decides). {@code timeline} is 0 when unknown.
 */
public record Peer(String name, boolean reachable, boolean isPrimary, long walPosition, boolean nofailover, int timeline) {

    public Peer(String name, boolean reachable, boolean isPrimary, long walPosition, boolean nofailover) {
        this(name, reachable, isPrimary, walPosition, nofailover, 0);
    }
}
