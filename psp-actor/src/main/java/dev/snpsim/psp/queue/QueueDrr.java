package dev.snpsim.psp.queue;

import dev.snpsim.psp.CommandKind;
import dev.snpsim.psp.service.ServiceTimes;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Deficit round robin over VMs (Shreedhar and Varghese, 1995): each VM with waiting commands
 * gets a turn in arrival order of its first command; at the start of its turn its deficit grows
 * by the quantum and it is served while its deficit covers the cost of its next command. A VM
 * whose queue empties leaves the round and its deficit resets. With cost = mean service time,
 * each backlogged VM receives an equal share of PSP time whatever its command mix; within a VM
 * commands stay in arrival order (the guest's seqnos need that).
 */
public final class QueueDrr implements QueueDiscipline {
    private final ToLongFunction<CommandKind> cost;
    private final long quantum;
    /** per VM; looked up by id, never iterated (the round order is {@link #active}) */
    private final Map<String, ArrayDeque<Queued>> queues = new HashMap<>();
    private final Map<String, Long> deficits = new HashMap<>();
    private final ArrayDeque<String> active = new ArrayDeque<>();
    private boolean turnStarted;
    private int size;

    /**
     * @param cost    the cost of a command of each kind, at least 1
     * @param quantum what a VM may spend per turn, at least 1
     */
    public QueueDrr(ToLongFunction<CommandKind> cost, long quantum) {
        if (quantum < 1) {
            throw new IllegalArgumentException("drr quantum is " + quantum + " (expected: >= 1)");
        }
        this.cost = cost;
        this.quantum = quantum;
    }

    /** Cost = mean service time of the kind (ns); quantum = mean guest request time. */
    public static QueueDrr byServiceTime(ServiceTimes times) {
        long q = Math.max(1, Math.round(times.of(CommandKind.SNP_GUEST_REQUEST).meanNanos()));
        return new QueueDrr(k -> Math.max(1, Math.round(times.of(k).meanNanos())), q);
    }

    @Override
    public void add(Queued command) {
        ArrayDeque<Queued> q = queues.get(command.vmId());
        if (q == null) {
            q = new ArrayDeque<>();
            queues.put(command.vmId(), q);
            deficits.put(command.vmId(), 0L);
            active.addLast(command.vmId());
        }
        q.addLast(command);
        size++;
    }

    @Override
    public Queued poll() {
        if (size == 0) {
            return null;
        }
        while (true) {
            String vm = active.peekFirst();
            ArrayDeque<Queued> q = queues.get(vm);
            long deficit = deficits.get(vm);
            if (!turnStarted) {
                deficit += quantum;
                turnStarted = true;
            }
            long c = Math.max(1, cost.applyAsLong(q.peekFirst().kind()));
            if (deficit >= c) {
                Queued next = q.pollFirst();
                size--;
                if (q.isEmpty()) {
                    queues.remove(vm);
                    deficits.remove(vm);
                    active.pollFirst();
                    turnStarted = false;
                } else {
                    deficits.put(vm, deficit - c);
                }
                return next;
            }
            deficits.put(vm, deficit);
            active.addLast(active.pollFirst());
            turnStarted = false;
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String name() {
        return "drr";
    }
}
