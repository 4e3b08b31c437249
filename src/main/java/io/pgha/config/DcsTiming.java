package io.pgha.config;

/**
 * The three timing values of Patroni's dynamic configuration ({@code bootstrap.dcs}), in seconds, and the
 * one place where their ranges and their rule are stated (the agent's file, the REST API, edit-config,
 * {@code pgha local} and the operator's model all ask {@link #problem}).
 *
 * <p>Patroni's rule {@code loop_wait + 2 × retry_timeout ≤ ttl} is enforced: a leader whose last
 * renewal was at T starts its next cycle by T+loop_wait and may spend retry_timeout reading and
 * retry_timeout renewing; it must have demoted before T+ttl, when another member may take the key.
 * pgha's minimums are lower than Patroni's (ttl 20, retry_timeout 3) on purpose: its fence thread, not the
 * loop, stops a primary that lost its lease (docs/ha-protocol.md §3), so the rule is what keeps it safe.
 */
public record DcsTiming(int ttl, int loopWait, int retryTimeout) {

    /** pgha's defaults: a lost leader is replaced within about six seconds. */
    public static final DcsTiming PGHA_DEFAULT = new DcsTiming(6, 1, 2);

    public static final int MIN_TTL = 2;
    public static final int MIN_LOOP_WAIT = 1;
    public static final int MIN_RETRY_TIMEOUT = 1;
    /** The upper bound of each value (as the CRD's): beyond an hour a failover is no longer automatic in any useful sense. */
    public static final int MAX_SECONDS = 3600;

    public DcsTiming {
        String problem = problem(ttl, loopWait, retryTimeout);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why these values are not a valid timing (ranges first, then the rule), or null when they are. */
    public static String problem(long ttl, long loopWait, long retryTimeout) {
        if (ttl < MIN_TTL || loopWait < MIN_LOOP_WAIT || retryTimeout < MIN_RETRY_TIMEOUT
                || ttl > MAX_SECONDS || loopWait > MAX_SECONDS || retryTimeout > MAX_SECONDS) {
            return "timing needs ttl " + MIN_TTL + ".." + MAX_SECONDS + ", loop_wait " + MIN_LOOP_WAIT + ".." + MAX_SECONDS
                    + ", retry_timeout " + MIN_RETRY_TIMEOUT + ".." + MAX_SECONDS + " (got " + describe(ttl, loopWait, retryTimeout) + ")";
        }
        if (loopWait + 2 * retryTimeout > ttl) {
            return "timing must satisfy loop_wait + 2 x retry_timeout <= ttl (got " + describe(ttl, loopWait, retryTimeout) + ")";
        }
        return null;
    }

    private static String describe(long ttl, long loopWait, long retryTimeout) {
        return "ttl " + ttl + ", loop_wait " + loopWait + ", retry_timeout " + retryTimeout;
    }
}
