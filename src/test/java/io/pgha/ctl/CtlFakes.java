package io.pgha.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.contract.Cluster;
import io.pgha.contract.ClusterParser;
import io.pgha.contract.DcsKeys;
import io.pgha.contract.Member;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/** In-memory DCS, REST API and terminal for testing the commands' logic. */
final class CtlFakes {
    static final DcsKeys KEYS = new DcsKeys("/service/", "demo");

    /** A three-member cluster: m1 leader, m2 and m3 replicas, config at mod revision 5. */
    static List<ClusterParser.Entry> healthy() {
        return new ArrayList<>(List.of(
                new ClusterParser.Entry(KEYS.key("leader"), "m1", 3, 0),
                new ClusterParser.Entry(KEYS.key("config"), "{\"ttl\":30,\"loop_wait\":10}", 5, 0),
                new ClusterParser.Entry(KEYS.key("status"), "{\"optime\":100}", 6, 0),
                member("m1", "master", ""), member("m2", "replica", ""), member("m3", "replica", "")));
    }

    static ClusterParser.Entry member(String name, String role, String extraJson) {
        int port = 18100 + Integer.parseInt(name.substring(1));
        return new ClusterParser.Entry(KEYS.member(name), "{\"conn_url\":\"postgres://127.0.0.1:" + (15400 + port - 18100)
                + "/postgres\",\"api_url\":\"http://127.0.0.1:" + port + "/patroni\",\"state\":\"running\",\"role\":\"" + role
                + "\",\"xlog_location\":100,\"timeline\":1" + extraJson + "}", 4, 0);
    }

    static ClusterParser.Entry entry(String suffix, String value, long modRevision) {
        return new ClusterParser.Entry(KEYS.key(suffix), value, modRevision, 0);
    }

    static final class Store implements ClusterStore {
        final List<ClusterParser.Entry> entries;
        final List<String> writes = new ArrayList<>();
        boolean casFails;

        Store(List<ClusterParser.Entry> entries) {
            this.entries = new ArrayList<>(entries);
        }

        @Override
        public Cluster read(String scope) {
            return ClusterParser.parse(new DcsKeys("/service/", scope), entries, 10);
        }

        @Override
        public boolean setConfig(String scope, String value, long expectedModRevision) {
            writes.add("config@" + expectedModRevision + " " + value);
            return !casFails;
        }

        @Override
        public boolean setFailover(String scope, String value, long expectedModRevision) {
            writes.add("failover@" + expectedModRevision + " " + value);
            return !casFails;
        }

        @Override
        public void deleteCluster(String scope) {
            writes.add("delete " + scope);
        }

        @Override
        public void close() {}
    }

    /** Records calls as "METHOD member endpoint body" and answers from a queue (default 200 "ok"). */
    static final class Api implements PatroniApi {
        final List<String> calls = new ArrayList<>();
        final Deque<Supplier<Reply>> replies = new ArrayDeque<>();

        Api reply(int status, String body) {
            replies.add(() -> new Reply(status, body));
            return this;
        }

        Api unreachable() {
            replies.add(() -> {
                throw new Unreachable("connection refused", null);
            });
            return this;
        }

        @Override
        public Reply call(Member member, String method, String endpoint, JsonNode body) {
            calls.add(method + " " + member.name() + " " + endpoint + (body == null ? "" : " " + PyJson.dumps(body)));
            return replies.isEmpty() ? new Reply(200, "ok") : replies.poll().get();
        }
    }

    /** A session whose terminal answers prompts from {@code input} and keeps what was printed. */
    static final class Term {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Console console;

        Term(String input) {
            console = new Console(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    static CtlSession session(Store store, Api api, Term term) {
        return new CtlSession(store, api, term.console, ZoneOffset.UTC, Duration.ofMillis(10));
    }

    private CtlFakes() {}
}
