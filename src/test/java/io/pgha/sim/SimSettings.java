package io.pgha.sim;

/**
 * One schedule's cluster settings (the DCS config key) and the switches that bring back pre-fix behaviour in the
 * simulated parts, for the regression schedules (never in production code).
 */
public record SimSettings(int ttl, int loopWait, int retryTimeout, boolean synchronousMode, boolean strict, boolean failsafeMode,
                          PreFix preFix) {

    /**
     * Pre-fix behaviour of issue 11's holes, reproduced in the simulation's wiring or model only.
     *
     * @param fenceTrustsAnyLease   holes 1 and 2: the fence's authority is whatever lease the agent holds
     *                              (EtcdDcs.leaseValidUntilNanos), not the one its leader key sits on
     * @param acquireIgnoresSyncKey hole 8: the acquire transaction does not compare the sync key
     * @param watchdogKillsLate     hole 3: the watchdog's SIGKILL one second after its SIGQUIT
     * @param pauseDisarmsFence     hole 10: maintenance mode disarms the fence and the watchdog
     * @param failsafeOwnTtl        hole 9: POST /failsafe carries no ttl; the standby promises its own
     */
    public record PreFix(boolean fenceTrustsAnyLease, boolean acquireIgnoresSyncKey, boolean watchdogKillsLate,
                         boolean pauseDisarmsFence, boolean failsafeOwnTtl) {
        public static final PreFix NONE = new PreFix(false, false, false, false, false);
    }

    public static SimSettings defaults() {
        return new SimSettings(6, 1, 2, false, false, false, PreFix.NONE);
    }

    public SimSettings timing(int ttl, int loopWait, int retryTimeout) {
        return new SimSettings(ttl, loopWait, retryTimeout, synchronousMode, strict, failsafeMode, preFix);
    }

    public SimSettings sync(boolean strict) {
        return new SimSettings(ttl, loopWait, retryTimeout, true, strict, failsafeMode, preFix);
    }

    public SimSettings failsafe() {
        return new SimSettings(ttl, loopWait, retryTimeout, synchronousMode, strict, true, preFix);
    }

    public SimSettings with(PreFix p) {
        return new SimSettings(ttl, loopWait, retryTimeout, synchronousMode, strict, failsafeMode, p);
    }

    public boolean fenceTrustsAnyLease() {
        return preFix.fenceTrustsAnyLease();
    }

    public boolean acquireIgnoresSyncKey() {
        return preFix.acquireIgnoresSyncKey();
    }

    public boolean watchdogKillsLate() {
        return preFix.watchdogKillsLate();
    }

    public boolean pauseDisarmsFence() {
        return preFix.pauseDisarmsFence();
    }

    public boolean failsafeOwnTtl() {
        return preFix.failsafeOwnTtl();
    }

    /** The bootstrap.dcs the first member writes into the config key. */
    public String configJson() {
        return "{\"ttl\":" + ttl + ",\"loop_wait\":" + loopWait + ",\"retry_timeout\":" + retryTimeout
                + ",\"synchronous_mode\":" + synchronousMode + ",\"synchronous_mode_strict\":" + strict
                + ",\"failsafe_mode\":" + failsafeMode + ",\"maximum_lag_on_failover\":1048576}";
    }
}
