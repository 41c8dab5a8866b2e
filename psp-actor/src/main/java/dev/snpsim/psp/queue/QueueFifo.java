package dev.snpsim.psp.queue;

import java.util.ArrayDeque;

/** First come, first served: the real PSP's mutex queue. */
public final class QueueFifo implements QueueDiscipline {
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();

    @Override
    public void add(Queued command) {
        queue.addLast(command);
    }

    @Override
    public Queued poll() {
        return queue.pollFirst();
    }

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public String name() {
        return "fifo";
    }
}
