package dev.snpsim.sim;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The virtual scheduler's timer queue: a binary min-heap of {@link TimerEntry} ordered by
 * (due, sequence), as {@link TimerEntry#compareTo} orders them.
 *
 * <p>The keys live in one {@code long} array beside the entries, two longs per slot, so
 * sifting compares adjacent memory instead of dereferencing an entry per comparison: with a
 * thousand guests' timers the entries are cold in the cache, their keys are not. An entry's
 * due time and sequence must not change while it is queued. Not thread-safe (the loop's lock
 * guards it).
 */
final class TimerHeap {
    private TimerEntry[] entries = new TimerEntry[64];
    /** keys[2i] = due, keys[2i + 1] = sequence of entries[i] */
    private long[] keys = new long[128];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(TimerEntry e) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
            keys = Arrays.copyOf(keys, size * 4);
        }
        siftUp(size++, e, e.due, e.sequence);
    }

    /** The earliest entry, or null. */
    TimerEntry peek() {
        return size == 0 ? null : entries[0];
    }

    /** Removes and returns the earliest entry, or null. */
    TimerEntry poll() {
        if (size == 0) {
            return null;
        }
        TimerEntry head = entries[0];
        int last = --size;
        TimerEntry moved = entries[last];
        long due = keys[2 * last];
        long seq = keys[2 * last + 1];
        entries[last] = null;
        if (last > 0) {
            siftDown(0, moved, due, seq);
        }
        return head;
    }

    /** Removes every entry the filter accepts, keeping the heap order of the rest. */
    void removeIf(Predicate<TimerEntry> filter) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            TimerEntry e = entries[i];
            if (!filter.test(e)) {
                entries[kept] = e;
                keys[2 * kept] = keys[2 * i];
                keys[2 * kept + 1] = keys[2 * i + 1];
                kept++;
            }
        }
        Arrays.fill(entries, kept, size, null);
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, entries[i], keys[2 * i], keys[2 * i + 1]);
        }
    }

    private static boolean less(long dueA, long seqA, long dueB, long seqB) {
        return dueA < dueB || (dueA == dueB && seqA < seqB);
    }

    private void siftUp(int i, TimerEntry e, long due, long seq) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long pd = keys[2 * parent];
            long ps = keys[2 * parent + 1];
            if (!less(due, seq, pd, ps)) {
                break;
            }
            set(i, entries[parent], pd, ps);
            i = parent;
        }
        set(i, e, due, seq);
    }

    private void siftDown(int i, TimerEntry e, long due, long seq) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            long cd = keys[2 * child];
            long cs = keys[2 * child + 1];
            int right = child + 1;
            if (right < size) {
                long rd = keys[2 * right];
                long rs = keys[2 * right + 1];
                if (less(rd, rs, cd, cs)) {
                    child = right;
                    cd = rd;
                    cs = rs;
                }
            }
            if (!less(cd, cs, due, seq)) {
                break;
            }
            set(i, entries[child], cd, cs);
            i = child;
        }
        set(i, e, due, seq);
    }

    private void set(int i, TimerEntry e, long due, long seq) {
        entries[i] = e;
        keys[2 * i] = due;
        keys[2 * i + 1] = seq;
    }
}
