package dev.snpsim.sim.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OffloadTest {

    @Test
    void withoutWorkersATaskRunsOnItsJoinerAtTheJoin() {
        AtomicInteger runs = new AtomicInteger();
        Offload.Task<String> t = Offload.inline().submit(() -> {
            runs.incrementAndGet();
            return Thread.currentThread().getName();
        }, false);
        assertThat(runs).hasValue(0);
        assertThat(t.join()).isEqualTo(Thread.currentThread().getName());
        assertThat(t.join()).isEqualTo(Thread.currentThread().getName());
        assertThat(runs).hasValue(1);
    }

    @Test
    void workersComputeEveryValueOnceAndJoinsReturnThemInAnyOrder() {
        Offload pool = Offload.withWorkers(2);
        AtomicInteger runs = new AtomicInteger();
        List<Offload.Task<Long>> tasks = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long n = i;
            tasks.add(pool.submit(() -> {
                runs.incrementAndGet();
                long x = n;
                for (int k = 0; k < 2000; k++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                }
                return x;
            }, i % 7 == 0));
        }
        for (int i = tasks.size() - 1; i >= 0; i--) {
            long x = i;
            for (int k = 0; k < 2000; k++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            assertThat(tasks.get(i).join()).isEqualTo(x);
        }
        assertThat(runs).hasValue(500);
        Offload.Stats s = pool.stats();
        assertThat(s.byWorkers() + s.byJoiners() + s.helped()).isEqualTo(500);
    }

    @Test
    void aJoinerWaitingForAWorkerHelpsWithQueuedTasks() throws Exception {
        Offload pool = Offload.withWorkers(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Offload.Task<Integer> slow = pool.submit(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return 1;
        }, true);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Offload.Task<String> queued = pool.submit(() -> {
            release.countDown(); // run by the joiner while it waits for "slow"
            return Thread.currentThread().getName();
        }, false);
        assertThat(slow.join()).isEqualTo(1);
        assertThat(queued.join()).isEqualTo(Thread.currentThread().getName());
        assertThat(pool.stats().helped()).isEqualTo(1);
    }

    @Test
    void aFailureIsThrownAtTheJoinAsIfTheWorkHadRunThere() {
        for (Offload pool : List.of(Offload.inline(), Offload.withWorkers(1))) {
            Offload.Task<Object> t = pool.submit(() -> {
                throw new IllegalArgumentException("bad key");
            }, true);
            assertThatThrownBy(t::join).isInstanceOf(IllegalArgumentException.class).hasMessage("bad key");
        }
    }

    @Test
    void aCancelledTaskNeverRunsAndCannotBeJoined() {
        AtomicInteger runs = new AtomicInteger();
        Offload.Task<Integer> t = Offload.inline().submit(runs::incrementAndGet, false);
        t.cancel();
        assertThatThrownBy(t::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("cancelled");
        assertThat(runs).hasValue(0);
    }

    @Test
    void negativeWorkerCountsAreRefused() {
        assertThatThrownBy(() -> Offload.withWorkers(-1)).hasMessageContaining("offload workers is -1");
    }

    @Test
    void aPauseWaitsForTasksInFlightAndKeepsWorkersOffTheQueueUntilClosed() throws Exception {
        Offload pool = Offload.withWorkers(1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        Offload.Task<String> inFlight = pool.submit(() -> {
            started.countDown();
            await(release);
            finished.incrementAndGet();
            return "first";
        }, true);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        Thread releaser = new Thread(() -> {
            sleep(100);
            release.countDown();
        });
        releaser.start();
        Offload.Pause pause = pool.pause(); // returns once the worker has finished its task
        assertThat(finished).hasValue(1);
        long byWorkers = pool.stats().byWorkers();
        List<Offload.Task<String>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(pool.submit(() -> Thread.currentThread().getName(), false));
        }
        sleep(200);
        assertThat(pool.stats().byWorkers()).as("no worker starts a task while paused").isEqualTo(byWorkers);
        assertThat(queued.get(0).join()).as("a join while paused runs here").isEqualTo(Thread.currentThread().getName());
        pause.close();
        pause.close(); // once only
        for (int i = 1; i < queued.size(); i++) {
            assertThat(queued.get(i).join()).isNotNull();
        }
        assertThat(inFlight.join()).isEqualTo("first");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        AtomicInteger ran = new AtomicInteger();
        Offload.Task<String> after = pool.submit(() -> {
            ran.incrementAndGet();
            return Thread.currentThread().getName();
        }, false);
        while (ran.get() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(after.join()).as("the worker is back after the pause").startsWith("snpsim-offload-");
        releaser.join();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
