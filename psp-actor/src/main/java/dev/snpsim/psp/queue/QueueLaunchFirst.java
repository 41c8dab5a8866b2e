package dev.snpsim.psp.queue;

import java.util.ArrayDeque;

/**
 * Two FIFO classes: guest lifecycle commands (launch start/update/finish, decommission) always go
 * before guest requests and platform commands, so a flood of attestation requests cannot delay
 * other tenants' boots (at the price of the flood's latency).
 */
public final class QueueLaunchFirst implements QueueDiscipline {
    private final ArrayDeque<Queued> launch = new ArrayDeque<>();
    private final ArrayDeque<Queued> other = new ArrayDeque<>();

    @Override
    public void add(Queued command) {
        (command.kind().isLaunch() ? launch : other).addLast(command);
    }

    @Override
    public Queued poll() {
        Queued q = launch.pollFirst();
        return q != null ? q : other.pollFirst();
    }

    @Override
    public int size() {
        return launch.size() + other.size();
    }

    @Override
    public String name() {
        return "launch-first";
    }
}
