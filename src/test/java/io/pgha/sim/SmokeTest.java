package io.pgha.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void aClusterFormsAndCommits() {
        SimWorld w = new SimWorld(1, SimSettings.defaults().sync(false), 3);
        w.start();
        w.sched.runUntil(TimeUnit.SECONDS.toNanos(30));
        System.out.println(w.sched.trace());
        System.out.println("events " + w.sched.events() + " acked " + w.acknowledgedCount() + " liveness " + w.liveness());
        assertThat(w.violation()).isNull();
        assertThat(w.liveness()).isNull();
    }
}
