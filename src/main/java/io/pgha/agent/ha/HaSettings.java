package io.pgha.agent.ha;

/**
 * The settings the decision needs: this member's identity and tags, and the dynamic configuration
 * (DCS {@code config} key merged over defaults).
 *
 * @param synchronousMode synchronous_mode is on: only the members of the sync key may be promoted
 * @param failsafeMode    failsafe_mode is on: a primary that cannot reach the DCS may keep running while every
 *                        member confirms it (see {@link HaInput#failsafeConfirmed()})
 */
public record HaSettings(String me, boolean nofailover, long maximumLagOnFailover, boolean checkTimeline,
                         boolean usePgRewind, long loopWaitMillis, boolean synchronousMode, boolean failsafeMode) {

    /** With pgha's default loop_wait of one second. */
    public HaSettings(String me, boolean nofailover, long maximumLagOnFailover, boolean checkTimeline, boolean usePgRewind) {
        this(me, nofailover, maximumLagOnFailover, checkTimeline, usePgRewind, 1000, false, false);
    }

    public HaSettings(String me, boolean nofailover, long maximumLagOnFailover, boolean checkTimeline, boolean usePgRewind,
                      long loopWaitMillis) {
        this(me, nofailover, maximumLagOnFailover, checkTimeline, usePgRewind, loopWaitMillis, false, false);
    }

    public HaSettings withSync(boolean on) {
        return new HaSettings(me, nofailover, maximumLagOnFailover, checkTimeline, usePgRewind, loopWaitMillis, on, failsafeMode);
    }

    public HaSettings withFailsafe(boolean on) {
        return new HaSettings(me, nofailover, maximumLagOnFailover, checkTimeline, usePgRewind, loopWaitMillis, synchronousMode, on);
    }
}
