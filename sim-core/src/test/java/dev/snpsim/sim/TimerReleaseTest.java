package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.Cancellable;
import org.junit.jupiter.api.Test;
import scala.concurrent.ExecutionContext;

/**
 * A cancelled timer sits in the queue until it comes due (or a purge), but lets go of its task at
 * once: an ask's timeout task holds the promise and so the reply, which at 10,000 guests would
 * keep thousands of answered replies on the heap.
 */
class TimerReleaseTest {

    private final VirtualScheduler scheduler = new VirtualScheduler(ConfigFactory.empty(), null, null);
    private final SimLoop loop = scheduler.loop();
    private final ExecutionContext inline = ExecutionContext.fromExecutor(Runnable::run);

    /** A task holding a 1 MiB payload, as an ask's timeout holds its reply. */
    private static final class Holder implements Runnable {
        final byte[] payload = new byte[1 << 20];
        final List<String> fired;

        Holder(List<String> fired) {
            this.fired = fired;
        }

        @Override
        public void run() {
            fired.add("fired " + payload.length);
        }
    }

    @Test
    void aCancelledTimerNoLongerHoldsItsTask() {
        List<String> fired = new ArrayList<>();
        Holder task = new Holder(fired);
        WeakReference<Holder> ref = new WeakReference<>(task);
        Cancellable c = scheduler.scheduleOnce(Duration.ofHours(1), task, inline);
        task = null;
        assertThat(c.cancel()).isTrue();
        assertThat(loop.liveTimers()).isZero();
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
        }
        assertThat(ref.get()).as("the cancelled timer's task was collected").isNull();
        loop.run(Long.MAX_VALUE, null, false, Progress.NONE);
        assertThat(fired).isEmpty();
    }

    @Test
    void aLiveTimerStillRunsItsTask() {
        List<String> fired = new ArrayList<>();
        scheduler.scheduleOnce(Duration.ofSeconds(1), new Holder(fired), inline);
        Cancellable other = scheduler.scheduleOnce(Duration.ofSeconds(1), new Holder(fired), inline);
        other.cancel();
        RunStats stats = loop.run(Long.MAX_VALUE, null, false, Progress.NONE);
        assertThat(fired).containsExactly("fired 1048576");
        assertThat(stats.simulatedNanos()).isEqualTo(1_000_000_000L);
    }
}
