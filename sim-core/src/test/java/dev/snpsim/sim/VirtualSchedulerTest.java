package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.Cancellable;
import org.junit.jupiter.api.Test;
import scala.concurrent.ExecutionContext;

/** The virtual scheduler and its driver loop, without an actor system. */
class VirtualSchedulerTest {

    private final VirtualScheduler scheduler = new VirtualScheduler(ConfigFactory.empty(), null, null);
    private final SimLoop loop = scheduler.loop();
    private final ExecutionContext inline = ExecutionContext.fromExecutor(Runnable::run);
    /** what fired, as "name@ns" */
    private final List<String> fired = new ArrayList<>();

    private Cancellable once(String name, long delayNanos) {
        return scheduler.scheduleOnce(Duration.ofNanos(delayNanos), () -> fired.add(name + "@" + loop.now()), inline);
    }

    private RunStats runUntilIdle() {
        return loop.run(Long.MAX_VALUE, null, false, Progress.NONE);
    }

    @Test
    void timersFireInDueOrderAtTheirDueTime() {
        once("c", 300);
        once("a", 100);
        once("b", 200);
        RunStats stats = runUntilIdle();
        assertThat(fired).containsExactly("a@100", "b@200", "c@300");
        assertThat(stats.idle()).isTrue();
        assertThat(stats.simulatedNanos()).isEqualTo(300);
        assertThat(stats.events()).isEqualTo(3);
    }

    @Test
    void equalDeadlinesFireInSchedulingOrder() {
        for (int i = 0; i < 50; i++) {
            once("t" + i, 1_000);
        }
        runUntilIdle();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("t" + i + "@1000");
        }
        assertThat(fired).containsExactlyElementsOf(expected);
    }

    @Test
    void aTimerScheduledForNowFiresAfterTheTimersAlreadyDueNow() {
        scheduler.scheduleOnce(Duration.ofNanos(10), () -> {
            fired.add("first@" + loop.now());
            once("zero-delay", 0);
        }, inline);
        once("second", 10);
        runUntilIdle();
        assertThat(fired).containsExactly("first@10", "second@10", "zero-delay@10");
    }

    @Test
    void cancelledTimersNeverFire() {
        Cancellable a = once("a", 100);
        once("b", 200);
        Cancellable c = once("c", 300);
        assertThat(a.cancel()).isTrue();
        assertThat(a.cancel()).as("second cancel").isFalse();
        assertThat(a.isCancelled()).isTrue();
        assertThat(loop.liveTimers()).isEqualTo(2);
        // b cancels c, which is due later
        scheduler.scheduleOnce(Duration.ofNanos(200), c::cancel, inline);
        runUntilIdle();
        assertThat(fired).containsExactly("b@200");
        assertThat(c.isCancelled()).isTrue();
    }

    @Test
    void aTimerCancelledByAnEarlierTimerDueAtTheSameInstantDoesNotFire() {
        Cancellable[] victim = new Cancellable[1];
        scheduler.scheduleOnce(Duration.ofNanos(50), () -> victim[0].cancel(), inline);
        victim[0] = once("victim", 50);
        runUntilIdle();
        assertThat(fired).isEmpty();
    }

    @Test
    void cancellingAFiredTimerReturnsFalse() {
        Cancellable a = once("a", 1);
        runUntilIdle();
        assertThat(a.cancel()).isFalse();
        assertThat(a.isCancelled()).isFalse();
    }

    @Test
    void fixedRateTimerRepeatsUntilCancelled() {
        Cancellable[] self = new Cancellable[1];
        self[0] = scheduler.scheduleAtFixedRate(Duration.ofNanos(5), Duration.ofNanos(10), () -> {
            fired.add("r@" + loop.now());
            if (fired.size() == 4) {
                self[0].cancel();
            }
        }, inline);
        RunStats stats = runUntilIdle();
        assertThat(fired).containsExactly("r@5", "r@15", "r@25", "r@35");
        assertThat(stats.idle()).isTrue();
    }

    @Test
    void fixedDelayTimerRepeats() {
        Cancellable r = scheduler.scheduleWithFixedDelay(Duration.ZERO, Duration.ofNanos(7),
                () -> fired.add("d@" + loop.now()), inline);
        RunStats stats = loop.run(20, null, true, Progress.NONE);
        assertThat(fired).containsExactly("d@0", "d@7", "d@14");
        assertThat(stats.idle()).as("a repeating timer is still pending").isFalse();
        assertThat(loop.now()).isEqualTo(20);
        r.cancel();
        assertThat(runUntilIdle().idle()).isTrue();
        assertThat(fired).hasSize(3);
    }

    @Test
    void repeatingTimerRejectsZeroInterval() {
        assertThatThrownBy(() -> scheduler.scheduleAtFixedRate(Duration.ZERO, Duration.ZERO, () -> { }, inline))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timer interval is 0 ns (expected: > 0)");
    }

    @Test
    void runUntilStopsAtTheEndAndMovesTheClockThere() {
        once("a", 100);
        once("b", 1_000);
        RunStats stats = loop.run(500, null, true, Progress.NONE);
        assertThat(fired).containsExactly("a@100");
        assertThat(loop.now()).isEqualTo(500);
        assertThat(stats.idle()).isFalse();
        assertThat(stats.simulatedNanos()).isEqualTo(500);
        runUntilIdle();
        assertThat(fired).containsExactly("a@100", "b@1000");
    }

    @Test
    void emptyLoopIsIdleImmediately() {
        RunStats stats = runUntilIdle();
        assertThat(stats.idle()).isTrue();
        assertThat(stats.events()).isZero();
        assertThat(loop.now()).isZero();
    }

    @Test
    void tasksRunBeforeTheClockMovesAndInSubmissionOrder() {
        once("timer", 10);
        loop.submit(() -> fired.add("task1@" + loop.now()));
        loop.submit(() -> {
            fired.add("task2@" + loop.now());
            loop.submit(() -> fired.add("task3@" + loop.now()));
        });
        runUntilIdle();
        assertThat(fired).containsExactly("task1@0", "task2@0", "task3@0", "timer@10");
    }

    @Test
    void stopConditionEndsTheRunWithoutMovingTheClockFurther() {
        once("a", 10);
        once("b", 20);
        loop.run(Long.MAX_VALUE, () -> !fired.isEmpty(), false, Progress.NONE);
        assertThat(fired).containsExactly("a@10");
        assertThat(loop.now()).isEqualTo(10);
    }

    @Test
    void manyCancelledTimersArePurgedWithoutLosingLiveOnes() {
        List<Cancellable> all = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            all.add(once("t" + i, 1_000 + i));
        }
        for (int i = 0; i < 10_000; i++) {
            if (i % 100 != 0) {
                all.get(i).cancel();
            }
        }
        assertThat(loop.liveTimers()).isEqualTo(100);
        runUntilIdle();
        assertThat(fired).hasSize(100).startsWith("t0@1000", "t100@1100").endsWith("t9900@10900");
    }

    @Test
    void closedSchedulerRefusesTimersAndRunsTheLeftOnes() {
        Cancellable a = once("left", 100);
        Cancellable b = once("cancelled", 100);
        b.cancel();
        scheduler.close();
        assertThat(fired).containsExactly("left@0");
        assertThat(a.cancel()).isFalse();
        assertThatThrownBy(() -> once("late", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("virtual scheduler is closed");
    }

    @Test
    void aRunCannotBeStartedFromInsideTheSimulation() {
        RuntimeException[] caught = new RuntimeException[1];
        loop.submit(() -> {
            try {
                runUntilIdle();
            } catch (RuntimeException e) {
                caught[0] = e;
            }
        });
        runUntilIdle();
        assertThat(caught[0]).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("from inside the simulation");
    }

    @Test
    void hugeDelaysSaturateInsteadOfOverflowing() {
        scheduler.scheduleOnce(Duration.ofNanos(Long.MAX_VALUE), () -> fired.add("never"), inline);
        loop.run(1_000, null, true, Progress.NONE);
        scheduler.scheduleOnce(Duration.ofNanos(Long.MAX_VALUE), () -> fired.add("never2"), inline);
        assertThat(loop.liveTimers()).isEqualTo(2);
        assertThat(fired).isEmpty();
        assertThat(SimLoop.saturatedAdd(Long.MAX_VALUE - 1, 5)).isEqualTo(Long.MAX_VALUE);
    }
}
