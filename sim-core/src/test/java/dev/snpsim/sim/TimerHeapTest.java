package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The timer heap against the JDK's priority queue, which orders entries by the same (due, sequence). */
class TimerHeapTest {

    private static TimerEntry entry(long due, long seq) {
        TimerEntry e = new TimerEntry(null, () -> { }, null, TimerEntry.Repeat.ONCE, 0);
        e.due = due;
        e.sequence = seq;
        return e;
    }

    @Test
    void pollsInTheSameOrderAsAPriorityQueueUnderRandomOperations() {
        SplittableRandom rnd = new SplittableRandom(42);
        TimerHeap heap = new TimerHeap();
        PriorityQueue<TimerEntry> oracle = new PriorityQueue<>();
        long seq = 0;
        for (int step = 0; step < 200_000; step++) {
            int op = rnd.nextInt(10);
            if (op < 5) {
                // few distinct due times, so ties are broken by sequence often
                TimerEntry e = entry(rnd.nextLong(0, 50), seq++);
                heap.add(e);
                oracle.add(e);
            } else if (op < 9) {
                assertThat(heap.peek()).isSameAs(oracle.peek());
                assertThat(heap.poll()).isSameAs(oracle.poll());
            } else if (rnd.nextInt(100) == 0) {
                long cut = rnd.nextLong(0, 50);
                heap.removeIf(t -> t.due < cut);
                oracle.removeIf(t -> t.due < cut);
            }
            assertThat(heap.size()).isEqualTo(oracle.size());
        }
        List<TimerEntry> rest = new ArrayList<>();
        while (!heap.isEmpty()) {
            rest.add(heap.poll());
        }
        List<TimerEntry> expected = new ArrayList<>();
        while (!oracle.isEmpty()) {
            expected.add(oracle.poll());
        }
        assertThat(rest).containsExactlyElementsOf(expected);
        assertThat(heap.poll()).isNull();
        assertThat(heap.peek()).isNull();
    }

    @Test
    void equalDueTimesComeOutInSchedulingOrderAndTheHeapGrows() {
        TimerHeap heap = new TimerHeap();
        for (int i = 999; i >= 0; i--) {
            heap.add(entry(7, i));
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(heap.poll().sequence).isEqualTo(i);
        }
    }
}
