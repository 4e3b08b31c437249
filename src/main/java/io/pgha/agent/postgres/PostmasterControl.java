package io.pgha.agent.postgres;

/** What the fence needs of PostgreSQL: the postmaster's pid and the two ways to stop it at once. */
public interface PostmasterControl {
    /** The live postmaster's pid, or -1. */
    long postmasterPid();

    /** SIGQUIT (immediate shutdown) to the postmaster; false if it could not be sent. */
    boolean quitNow();

    /** SIGKILL to the postmaster and every process it left behind. */
    void killNow();

    /** SIGKILL to the processes a dead postmaster left behind, waiting up to {@code wait} for them to go; how many. */
    int killOrphans(java.time.Duration wait);
}
