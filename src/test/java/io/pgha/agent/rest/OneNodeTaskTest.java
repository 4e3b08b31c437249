package io.pgha.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * At most one node task at a time (issue 11: two POST /reinitialize in quick succession wiped the data
 * directory under a just-started postmaster): while one runs, another answers 409 and starts nothing.
 */
class OneNodeTaskTest {
    private final WriteRoutesFixture routes = new WriteRoutesFixture();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        routes.close();
    }

    private void tasksBlockUntilReleased() {
        routes.agent.nodeTask = () -> {
            try {
                return release.await(20, TimeUnit.SECONDS) ? RestReply.text(200, "done") : RestReply.text(503, "never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return RestReply.text(503, "interrupted");
            }
        };
    }

    private CompletableFuture<HttpResponse<String>> async(String path, String body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return routes.call("POST", path, body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aSecondTaskWhileOneRunsGets409AndIsNotStarted() throws Exception {
        tasksBlockUntilReleased();
        CompletableFuture<HttpResponse<String>> first = async("/reinitialize", "{}");
        await().atMost(Duration.ofSeconds(5)).until(() -> routes.agent.actions().contains("reinitialize"));

        HttpResponse<String> again = routes.call("POST", "/reinitialize", "{\"force\":true}");
        HttpResponse<String> restart = routes.call("POST", "/restart", "{}");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).isEqualTo("reinitialize already in progress");
        assertThat(restart.statusCode()).isEqualTo(409);
        assertThat(routes.agent.actions()).containsExactly("reinitialize");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // the slot is free again once the first has answered
        assertThat(routes.call("POST", "/restart", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void ofManySimultaneousRequestsExactlyOneRuns() throws Exception {
        tasksBlockUntilReleased();
        List<CompletableFuture<HttpResponse<String>>> calls = List.of(async("/reinitialize", "{}"), async("/restart", "{}"),
                async("/reinitialize", "{}"), async("/restart", "{}"), async("/reinitialize", "{}"));
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.stream().filter(CompletableFuture::isDone).count() == 4);
        release.countDown();

        List<Integer> codes = calls.stream().map(f -> f.join().statusCode()).sorted().toList();
        assertThat(codes).containsExactly(200, 409, 409, 409, 409);
        assertThat(routes.agent.actions()).hasSize(1);
    }

    @Test
    void aTaskThatFailsGivesTheSlotBack() throws Exception {
        routes.agent.nodeTask = () -> {
            throw new IllegalStateException("boom");
        };
        assertThat(routes.call("POST", "/reinitialize", "{}").statusCode()).isEqualTo(500);
        routes.agent.nodeTask = () -> RestReply.text(200, "done");
        assertThat(routes.call("POST", "/reinitialize", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void schedulingARestartIsNotATask() throws Exception {
        tasksBlockUntilReleased();
        CompletableFuture<HttpResponse<String>> first = async("/reinitialize", "{}");
        await().atMost(Duration.ofSeconds(5)).until(() -> routes.agent.actions().contains("reinitialize"));
        String at = java.time.OffsetDateTime.now().plusHours(1).toString();

        routes.agent.nodeTask = () -> RestReply.text(202, "Restart scheduled");
        assertThat(routes.call("POST", "/restart", "{\"schedule\":\"" + at + "\"}").statusCode()).isEqualTo(202);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
