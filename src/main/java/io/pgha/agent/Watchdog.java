package io.pgha.agent;

/**
 * The fence's second line outside the agent's threads (docs/ha-protocol.md §3a): told ten times a second until
 * when PostgreSQL may run as primary, it stops the postmaster at those deadlines unless told later ones.
 * {@link ExternalWatchdog} is the real one (a separate process); the simulation has its own.
 */
interface Watchdog extends AutoCloseable {
    /** SIGQUIT to {@code pid} at {@code quitAtNanos}, SIGKILL of it and its children at {@code killAtNanos} (clock nanos). */
    void arm(long quitAtNanos, long killAtNanos, long pid);

    /** Nothing to guard. */
    void disarm();

    /** Null while the watchdog can be trusted; else why not (a stalled pipe, a dead writer, a script that will not start). */
    String fault();

    @Override
    void close();
}
