package io.pgha.chaos;

/**
 * One write the harness tried: an INSERT of the writer through HAProxy, or of a member's prober straight to
 * that member's PostgreSQL. Times are {@link MicroClock} microseconds.
 *
 * @param source     who wrote
 * @param member     the member that acknowledged the write (writer: found from the answering port; null when it
 *                   failed), or for a probe the member probed (also when it failed)
 * @param seq        the writer's row id, or the prober's sequence number for its member
 * @param sentUs     when the statement was sent (or the connection attempt began)
 * @param doneUs     when the acknowledgement or the error arrived
 * @param serverPort inet_server_port() of the acknowledging server, 0 when it failed
 * @param error      null when acknowledged, else SQLSTATE and the first line of the message
 */
public record Attempt(Source source, String member, long seq, long sentUs, long doneUs, int serverPort, String error) {

    public enum Source { WRITER, PROBE }

    public boolean ok() {
        return error == null;
    }

    static Attempt ack(Source source, String member, long seq, long sentUs, long doneUs, int serverPort) {
        return new Attempt(source, member, seq, sentUs, doneUs, serverPort, null);
    }

    static Attempt failure(Source source, String member, long seq, long sentUs, long doneUs, String error) {
        return new Attempt(source, member, seq, sentUs, doneUs, 0, error);
    }
}
