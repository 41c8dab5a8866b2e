package dev.snpsim.psp;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.sim.metrics.Counter;
import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.metrics.Summary;
import dev.snpsim.sim.metrics.TimeSeries;
import java.time.Duration;
import java.util.HashMap;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * The PSP's metric keys (prefix = {@link PspConfig#name()}, "psp" by default) and the recording
 * of them. The key names are listed in this package's {@code package-info.java}.
 *
 * <p>Per VM it keeps summaries (count, sum, min, max), not histograms: a histogram's buckets
 * grow to ~150 KB over a nanosecond range, which at 10,000 guests would take most of the heap.
 * The PSP-wide wait and service figures stay histograms (percentiles).
 */
public final class PspMetrics {
    private static final FirmwareStatus[] STATUSES = FirmwareStatus.values();

    private final Metrics metrics;
    private final String p;
    private final Counter busy;
    private final Counter commands;
    private final Counter queueFull;
    private final TimeSeries depth;
    private final TimeSeries utilisation;
    private final Histogram waitAll;
    private final Histogram serviceAll;
    /** The per-VM metrics by vmId; only the Psp actor records, one message at a time. */
    private final HashMap<String, Vm> vms = new HashMap<>();
    /** The VM recorded last: a command's completion usually follows its start. */
    private Vm lastVm;
    /** Counters of completed commands by kind, then status; each made on its first use. */
    private final Counter[][] byCommand = new Counter[CommandKind.values().length][];

    /**
     * One VM's metrics, each looked up on its first use (so a VM that never had a command refused
     * has no {@code queue-full} counter, as when every event looked its key up).
     */
    private static final class Vm {
        final String id;
        Summary wait;
        Summary service;
        Counter refused;

        Vm(String id) {
            this.id = id;
        }
    }

    PspMetrics(Metrics metrics, String prefix, Duration window) {
        this.metrics = metrics;
        this.p = prefix;
        this.busy = metrics.counter(busyKey(prefix));
        this.commands = metrics.counter(prefix + "/commands");
        this.queueFull = metrics.counter(prefix + "/queue-full");
        this.depth = metrics.timeSeries(prefix + "/queue-depth", window);
        this.utilisation = metrics.timeSeries(prefix + "/utilisation", window);
        this.waitAll = metrics.histogram(prefix + "/wait");
        this.serviceAll = metrics.histogram(prefix + "/service");
    }

    /** Key of the counter of busy nanoseconds. */
    public static String busyKey(String prefix) {
        return prefix + "/busy-ns";
    }

    /** Key of the counter of completed commands of {@code kind} with {@code status}. */
    public static String commandKey(String prefix, CommandKind kind, FirmwareStatus status) {
        return prefix + "/cmd/" + kind.name() + "/" + status.name();
    }

    /** Busy time over elapsed time: the fraction of {@code elapsedNanos} the PSP was serving. */
    public static double utilisation(Metrics metrics, String prefix, long elapsedNanos) {
        return elapsedNanos <= 0 ? 0 : metrics.counter(busyKey(prefix)).get() / (double) elapsedNanos;
    }

    void queueDepth(long now, int n) {
        depth.record(now, n);
    }

    void started(String vmId, long waitNanos) {
        waitAll.recordValue(waitNanos);
        Vm vm = vm(vmId);
        if (vm.wait == null) {
            vm.wait = metrics.summary(p + "/wait/" + vmId);
        }
        vm.wait.record(waitNanos);
    }

    void completed(long now, String vmId, CommandKind kind, FirmwareStatus status, long serviceNanos) {
        busy.add(serviceNanos);
        commands.increment();
        utilisation.record(now, serviceNanos);
        serviceAll.recordValue(serviceNanos);
        Vm vm = vm(vmId);
        if (vm.service == null) {
            vm.service = metrics.summary(p + "/service/" + vmId);
        }
        vm.service.record(serviceNanos);
        command(kind, status).increment();
    }

    void refused(String vmId) {
        queueFull.increment();
        Vm vm = vm(vmId);
        if (vm.refused == null) {
            vm.refused = metrics.counter(p + "/queue-full/" + vmId);
        }
        vm.refused.increment();
    }

    private Vm vm(String vmId) {
        Vm vm = lastVm;
        if (vm == null || !Objects.equals(vm.id, vmId)) {
            vm = vms.computeIfAbsent(vmId, Vm::new);
            lastVm = vm;
        }
        return vm;
    }

    private Counter command(CommandKind kind, FirmwareStatus status) {
        Counter[] byStatus = byCommand[kind.ordinal()];
        if (byStatus == null) {
            byStatus = new Counter[STATUSES.length];
            byCommand[kind.ordinal()] = byStatus;
        }
        Counter c = byStatus[status.ordinal()];
        if (c == null) {
            c = metrics.counter(commandKey(p, kind, status));
            byStatus[status.ordinal()] = c;
        }
        return c;
    }
}
