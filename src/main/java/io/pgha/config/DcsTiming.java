package io.pgha.config;

/**
 * The three timing values of Patroni's dynamic configuration ({@code bootstrap.dcs}), in seconds.
 *
 * <p>Patroni's rule {@code loop_wait + 2 × retry_timeout ≤ ttl} is enforced: a leader whose last
 * renewal was at T starts its next cycle by T+loop_wait and may spend retry_timeout reading and
 * retry_timeout renewing; it must have demoted before T+ttl, when another member may take the key.
 */
public record DcsTiming(int ttl, int loopWait, int retryTimeout) {

    /** pgha's defaults: a lost leader is replaced within about six seconds. */
    public static final DcsTiming PGHA_DEFAULT = new DcsTiming(6, 1, 2);

    public DcsTiming {
        if (ttl < 2 || loopWait < 1 || retryTimeout < 1) {
            throw new IllegalArgumentException(
                    "timing needs ttl >= 2, loop_wait >= 1, retry_timeout >= 1 (got " + describe(ttl, loopWait, retryTimeout) + ")");
        }
        if (loopWait + 2 * retryTimeout > ttl) {
            throw new IllegalArgumentException("timing must satisfy loop_wait + 2 x retry_timeout <= ttl (got "
                    + describe(ttl, loopWait, retryTimeout) + ")");
        }
    }

    private static String describe(int ttl, int loopWait, int retryTimeout) {
        return "ttl " + ttl + ", loop_wait " + loopWait + ", retry_timeout " + retryTimeout;
    }
}
