package io.pgha.agent.rest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Patroni's access check for every request that is not a GET (patroni-compat.md §5.6): the caller must be
 * on the allowlist when one is configured (403) and send the configured Basic credentials (401).
 */
public final class AccessCheck {

    private final String expectedAuthorization;
    private final List<byte[][]> ranges; // {network address, mask} per allowlist entry

    /**
     * @param username  null when no authentication is configured
     * @param allowlist host names, addresses or CIDR ranges; empty allows any caller
     */
    public AccessCheck(String username, String password, List<String> allowlist) {
        this.expectedAuthorization = username == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((username + ":" + (password == null ? "" : password))
                        .getBytes(StandardCharsets.UTF_8));
        this.ranges = new ArrayList<>();
        for (String entry : allowlist) {
            ranges.addAll(parse(entry));
        }
    }

    /** The refusal to send, or null when the request may proceed. */
    public RestReply check(RestRequest req, InetAddress caller) {
        if (!ranges.isEmpty() && !allowed(caller)) {
            return RestReply.text(403, "Access is denied");
        }
        if (expectedAuthorization != null) {
            String got = JsonBody.header(req, "Authorization");
            if (got == null) {
                return RestReply.text(401, "no auth header received").withHeader("WWW-Authenticate", "Basic realm=\"Patroni\"");
            }
            // constant-time comparison: the reply time must not reveal how much of a guess was right
            if (!MessageDigest.isEqual(got.getBytes(StandardCharsets.UTF_8), expectedAuthorization.getBytes(StandardCharsets.UTF_8))) {
                return RestReply.text(401, "not authenticated").withHeader("WWW-Authenticate", "Basic realm=\"Patroni\"");
            }
        }
        return null;
    }

    private boolean allowed(InetAddress caller) {
        byte[] a = caller.getAddress();
        for (byte[][] r : ranges) {
            if (r[0].length != a.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < a.length && match; i++) {
                match = (a[i] & r[1][i]) == (r[0][i] & r[1][i]);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static List<byte[][]> parse(String entry) {
        String host = entry.trim();
        int bits = -1;
        int slash = host.indexOf('/');
        if (slash >= 0) {
            bits = Integer.parseInt(host.substring(slash + 1));
            host = host.substring(0, slash);
        }
        List<byte[][]> out = new ArrayList<>();
        try {
            for (InetAddress addr : InetAddress.getAllByName(host)) {
                byte[] a = addr.getAddress();
                int prefix = bits < 0 ? a.length * 8 : Math.min(bits, a.length * 8);
                byte[] mask = new byte[a.length];
                for (int i = 0; i < prefix; i++) {
                    mask[i / 8] |= (byte) (0x80 >>> (i % 8));
                }
                out.add(new byte[][] {a, mask});
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("restapi.allowlist: cannot resolve " + entry, e);
        }
        return out;
    }
}
