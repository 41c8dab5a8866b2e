package dev.snpsim.psp;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.psp.firmware.FirmwareConfig;
import dev.snpsim.psp.firmware.FirmwareVersion;
import dev.snpsim.psp.queue.QueueDiscipline;
import dev.snpsim.psp.service.ServiceTimes;
import java.time.Duration;

/**
 * Everything a {@link Psp} starts from.
 *
 * @param name          entity id: names the seeded random streams ({@code <name>/service},
 *                      {@code <name>/firmware}), the trace entity and the metric key prefix
 * @param firmware      product, key hierarchy, chip id, firmware version, initial TCB, report version
 * @param serviceTimes  the service time of each command kind
 * @param queue         the queue discipline's factory ({@link QueueDiscipline#fifo()} ...)
 * @param capacity      how many commands may wait (the one in service excluded); a guest request
 *                      arriving at a full queue is answered {@code QUEUE_FULL} at once. Lifecycle and
 *                      platform commands are never refused (the host's own ioctls block instead).
 * @param metricsWindow the window of the queue-depth and utilisation time series
 */
public record PspConfig(String name, FirmwareConfig firmware, ServiceTimes serviceTimes,
                        QueueDiscipline.Factory queue, int capacity, Duration metricsWindow) {
    /** Default firmware version 1.55.21, the SNP API most hosts run. */
    public static final FirmwareVersion DEFAULT_VERSION = new FirmwareVersion(21, 55, 1);

    public PspConfig {
        if (name == null || name.isEmpty() || name.contains(" ")) {
            throw new IllegalArgumentException("psp name '" + name + "' (expected: a non-empty id without spaces)");
        }
        if (firmware == null || serviceTimes == null || queue == null) {
            throw new IllegalArgumentException("psp config: firmware, service times and queue are required");
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("psp queue capacity is " + capacity + " (expected: >= 0)");
        }
        if (metricsWindow == null || metricsWindow.isZero() || metricsWindow.isNegative()) {
            throw new IllegalArgumentException("psp metrics window is " + metricsWindow + " (expected: > 0)");
        }
    }

    /**
     * A PSP named "psp" for {@code product} on chip {@code chipSeed}: TCB {@code tcb}, firmware
     * 1.55.21, report version 3, default service times, FIFO, unbounded queue, 1 s windows.
     */
    public static PspConfig defaults(Product product, KeyHierarchy keys, long chipSeed, TcbVersion tcb) {
        return new PspConfig("psp", FirmwareConfig.of(product, keys, chipSeed, DEFAULT_VERSION, tcb),
                ServiceTimes.defaults(), QueueDiscipline.fifo(), Integer.MAX_VALUE, Duration.ofSeconds(1));
    }

    public PspConfig withName(String n) {
        return new PspConfig(n, firmware, serviceTimes, queue, capacity, metricsWindow);
    }

    public PspConfig withFirmware(FirmwareConfig f) {
        return new PspConfig(name, f, serviceTimes, queue, capacity, metricsWindow);
    }

    public PspConfig withServiceTimes(ServiceTimes t) {
        return new PspConfig(name, firmware, t, queue, capacity, metricsWindow);
    }

    public PspConfig withQueue(QueueDiscipline.Factory q) {
        return new PspConfig(name, firmware, serviceTimes, q, capacity, metricsWindow);
    }

    public PspConfig withCapacity(int c) {
        return new PspConfig(name, firmware, serviceTimes, queue, c, metricsWindow);
    }

    public PspConfig withMetricsWindow(Duration w) {
        return new PspConfig(name, firmware, serviceTimes, queue, capacity, w);
    }
}
