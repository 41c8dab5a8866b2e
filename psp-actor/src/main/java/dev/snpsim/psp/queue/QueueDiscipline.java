package dev.snpsim.psp.queue;

import dev.snpsim.psp.service.ServiceTimes;

/**
 * The order in which waiting commands reach the firmware. The PSP adds every command that
 * cannot start at once and polls the next one each time the firmware becomes free; the bound on
 * the queue is the PSP's, not the discipline's. Not thread-safe (one actor owns it).
 */
public interface QueueDiscipline {
    /** Makes a fresh discipline for one PSP; it may weigh commands by their service times. */
    @FunctionalInterface
    interface Factory {
        QueueDiscipline create(ServiceTimes times);
    }

    void add(Queued command);

    /** The next command to execute, or null when empty. */
    Queued poll();

    /** Commands waiting. */
    int size();

    /** A short name for results ("fifo", "drr", ...). */
    String name();

    /** First come, first served. */
    static Factory fifo() {
        return times -> new QueueFifo();
    }

    /** Per-VM deficit round robin weighing each command by its mean service time. */
    static Factory drr() {
        return QueueDrr::byServiceTime;
    }

    /** Launch lifecycle commands before everything else, FIFO within each class. */
    static Factory launchFirst() {
        return times -> new QueueLaunchFirst();
    }
}
