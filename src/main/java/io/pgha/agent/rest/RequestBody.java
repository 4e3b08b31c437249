package io.pgha.agent.rest;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body without ever holding more than its limit in memory. */
final class RequestBody {

    /** The body is larger than the limit (413). */
    static final class TooLarge extends Exception {
        TooLarge(int limit) {
            super("Request body too large: at most " + limit + " bytes are accepted");
        }
    }

    private RequestBody() {}

    /**
     * A declared Content-Length over the limit is refused before a byte is read; a chunked body is read up to
     * one byte past the limit. The JDK server has already refused malformed or conflicting lengths (400).
     */
    static byte[] read(HttpExchange ex, int limit) throws TooLarge, IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declaredLength(declared) > limit) {
            throw new TooLarge(limit);
        }
        InputStream in = ex.getRequestBody();
        ByteArrayOutputStream body = new ByteArrayOutputStream(); // grows with what arrives, not preallocated
        byte[] buf = new byte[8192];
        // never a read of 0 bytes: the JDK's chunked stream would wait for the next chunk header (readNBytes does)
        for (int n = 0; n >= 0 && body.size() <= limit; ) {
            n = in.read(buf, 0, Math.min(buf.length, limit + 1 - body.size()));
            if (n > 0) {
                body.write(buf, 0, n);
            }
        }
        if (body.size() > limit) {
            throw new TooLarge(limit);
        }
        return body.toByteArray();
    }

    /** Whether the request announces a body (a length above 0, or chunks). */
    static boolean announced(HttpExchange ex) {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        return ex.getRequestHeaders().containsKey("Transfer-Encoding") || (declared != null && declaredLength(declared) != 0);
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // the server refuses such a request before us; never read it
        }
    }
}
