package io.pgha.agent.ha;

/**
 * The settings the decision needs: this member's identity and tags, and the dynamic configuration
 * (DCS {@code config} key merged over defaults).
 */
public record HaSettings(String me, boolean nofailover, long maximumLagOnFailover, boolean checkTimeline,
                         boolean usePgRewind, long loopWaitMillis) {

    /** With pgha's default loop_wait of one second. */
    public HaSettings(String me, boolean nofailover, long maximumLagOnFailover, boolean checkTimeline, boolean usePgRewind) {
        this(me, nofailover, maximumLagOnFailover, checkTimeline, usePgRewind, 1000);
    }
}
