package io.pgha.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgha.agent.dcs.LeaderLease;
import io.pgha.agent.postgres.PostmasterControl;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fence on a simulated clock, lease and postmaster: when it signals, and when it reports itself broken. */
class FenceTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(1_000 * S);
    private final AtomicLong leaderUntil = new AtomicLong();
    private final FakePostmaster pg = new FakePostmaster();
    private final AtomicInteger wakes = new AtomicInteger();
    private Fence fence;

    private Fence fence(LeaderLease lease, PostmasterControl control) {
        fence = new Fence(lease, control, now::get, wakes::incrementAndGet, "[test/m1] ");
        fence.margin(S);
        return fence;
    }

    private Fence fence() {
        return fence(leaderUntil::get, pg);
    }

    @AfterEach
    void close() {
        if (fence != null) {
            fence.close();
        }
    }

    @Test
    void aPrimaryWhoseLeaseOutlastsTheMarginKeepsRunning() {
        Fence f = fence();
        leaderUntil.set(now.get() + 6 * S);
        f.primaryActive(true);
        f.tick();
        now.addAndGet(4900 * MS); // 1.1 s left, margin 1 s
        f.tick();
        assertThat(pg.quits.get() + pg.kills.get()).isZero();
    }

    @Test
    void withinTheMarginPostgresGetsSigquitAndTheLoopIsWoken() {
        Fence f = fence();
        leaderUntil.set(now.get() + 6 * S);
        f.primaryActive(true);
        now.addAndGet(5 * S); // exactly the margin left: not certainly valid any more
        f.tick();
        assertThat(pg.quits.get()).isEqualTo(1);
        assertThat(pg.kills.get()).isZero();
        assertThat(wakes.get()).isPositive();
    }

    @Test
    void onceHalfTheMarginIsGoneTooPostgresAndItsChildrenAreKilled() {
        Fence f = fence();
        leaderUntil.set(now.get() + 6 * S);
        f.primaryActive(true);
        now.addAndGet(5 * S);
        f.tick();
        now.addAndGet(400 * MS); // 600 ms left
        f.tick();
        assertThat(pg.kills.get()).as("more than half the margin left: SIGQUIT again, no SIGKILL").isZero();
        now.addAndGet(100 * MS); // 500 ms left: half the margin
        f.tick();
        assertThat(pg.kills.get()).isEqualTo(1);
    }

    @Test
    void whenSigquitCannotBeSentItKillsAtOnce() {
        pg.quitWorks = false;
        Fence f = fence();
        leaderUntil.set(now.get() + S / 2);
        f.primaryActive(true);
        f.tick();
        assertThat(pg.kills.get()).isEqualTo(1);
    }

    @Test
    void thePostmastersDeathWakesTheLoopAndSweepsItsOrphansOnTheSameTick() {
        Fence f = fence();
        f.tick();
        assertThat(pg.orphanSweeps.get()).isZero();
        pg.pid = -1;
        int wakesBefore = wakes.get();
        f.tick();
        assertThat(pg.orphanSweeps.get()).isEqualTo(1);
        assertThat(wakes.get()).isGreaterThan(wakesBefore);
    }

    @Test
    void aStandbyIsNeverSignalled() {
        Fence f = fence();
        leaderUntil.set(0);
        f.primaryActive(false);
        f.tick();
        assertThat(pg.quits.get() + pg.kills.get()).isZero();
    }

    @Test
    void aLeaseWithoutTheLeaderKeyGivesNoAuthority() {
        // hole 1 of issue 11: a lease granted again after NOT_FOUND carries no leader key: the DCS reports 0
        Fence f = fence();
        leaderUntil.set(0);
        f.primaryActive(true);
        assertThat(f.leaseValidFor(0)).isFalse();
        f.tick();
        assertThat(pg.quits.get()).isEqualTo(1);
    }

    @Test
    void aFailsafeConfirmationExtendsTheAuthority() {
        Fence f = fence();
        leaderUntil.set(now.get() + S);
        f.failsafeUntil(now.get() + 6 * S);
        f.primaryActive(true);
        f.tick();
        assertThat(pg.quits.get()).isZero();
        assertThat(f.slackMillis(0)).isEqualTo(5000);
    }

    @Test
    void aTickThatThrowsAnErrorLeavesTheThreadAliveAndAFaultForGood() {
        AtomicInteger calls = new AtomicInteger();
        PostmasterControl failing = new FakePostmaster() {
            @Override
            public long postmasterPid() {
                if (calls.incrementAndGet() == 2) {
                    throw new OutOfMemoryError("Java heap space (simulated)");
                }
                return 42;
            }
        };
        Fence f = new Fence(leaderUntil::get, failing, wakes::incrementAndGet, "[test/m1] ");
        fence = f;
        f.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() > 5);
        assertThat(f.fault()).contains("OutOfMemoryError");
    }

    @Test
    void aThreadThatStopsTickingIsAFault() throws InterruptedException {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        PostmasterControl hanging = new FakePostmaster() {
            @Override
            public long postmasterPid() {
                entered.countDown();
                try {
                    stuck.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return -1;
            }
        };
        Fence f = fence(leaderUntil::get, hanging);
        f.start();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(f.fault()).isNull();
        now.addAndGet(Fence.STALE_NANOS + MS);
        assertThat(f.fault()).contains("has not ticked");
        stuck.countDown();
    }

    @Test
    void aFenceWhoseThreadEndedIsAFault() {
        Fence f = fence(leaderUntil::get, new FakePostmaster() {
            @Override
            public long postmasterPid() {
                throw new StackOverflowError("simulated");
            }
        });
        f.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> f.fault() != null);
        assertThat(f.fault()).contains("StackOverflowError");
    }

    static class FakePostmaster implements PostmasterControl {
        final AtomicInteger quits = new AtomicInteger();
        final AtomicInteger kills = new AtomicInteger();
        final AtomicInteger orphanSweeps = new AtomicInteger();
        volatile boolean quitWorks = true;
        volatile long pid = 42;

        @Override
        public long postmasterPid() {
            return pid;
        }

        @Override
        public boolean quitNow() {
            quits.incrementAndGet();
            return quitWorks;
        }

        @Override
        public void killNow() {
            kills.incrementAndGet();
        }

        @Override
        public int killOrphans(java.time.Duration wait) {
            orphanSweeps.incrementAndGet();
            return 0;
        }
    }
}
