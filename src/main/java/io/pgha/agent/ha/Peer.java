package io.pgha.agent.ha;

/** What another member's REST API said during an election; unreachable peers are ignored (the DCS decides). */
public record Peer(String name, boolean reachable, boolean isPrimary, long walPosition, boolean nofailover) {}
