package dev.snpsim.host.nativekvm;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A self-contained run of the native backend without actors: N real vCPUs, each completing
 * {@code iterations} extended guest requests against a scripted host that answers BUSY every
 * {@code busyEvery}-th doorbell, INVALID_LEN until the guest offers enough pages, and otherwise
 * writes a certificate table of {@code tableBytes} bytes. Prints real exit counts and
 * doorbell latencies; {@code main} is the measurement behind the figures quoted for the backend.
 */
public final class NativeSmoke {

    /**
     * What a run produced.
     *
     * @param outcomes   per vCPU
     * @param stats      exits, doorbells and latencies
     * @param wallNanos  wall time from start to the last vCPU halting
     */
    public record Report(List<VcpuOutcome> outcomes, NativeRunStats.Snapshot stats, long wallNanos) {

        /** Human-readable figures, one per line. */
        public String describe() {
            long doorbells = stats.doorbells();
            double seconds = wallNanos / 1e9;
            StringBuilder b = new StringBuilder();
            for (VcpuOutcome o : outcomes) {
                b.append(String.format(Locale.ROOT, "vcpu %d: %s %s%s%n", o.vcpuIndex(), o.state(),
                        o.counters().map(Object::toString).orElse(""), o.detail().isEmpty() ? "" : " " + o.detail()));
            }
            b.append("exits: ").append(stats.exitsByReason()).append(" (total ").append(stats.totalExits())
                    .append(String.format(Locale.ROOT, ", mean KVM_RUN entry-to-exit %.1f us)%n",
                            stats.meanKvmRunNanos() / 1e3));
            b.append(String.format(Locale.ROOT, "doorbells: %d in %.3f s = %.0f/s%n", doorbells, seconds,
                    doorbells / seconds));
            b.append(String.format(Locale.ROOT, "doorbell latency (exit to re-entry) us: p50 %.1f  p90 %.1f"
                    + "  p99 %.1f  max %.1f%n", us(0.5), us(0.9), us(0.99), us(1.0)));
            return b.toString();
        }

        private double us(double q) {
            return stats.latencyQuantileNanos(q) / 1e3;
        }
    }

    private NativeSmoke() {
    }

    /** Runs the scripted smoke test; throws if KVM is unusable or a vCPU does not halt in time. */
    public static Report run(int vcpus, int iterations, int busyEvery, int tableBytes)
            throws InterruptedException {
        int pagesNeeded = (tableBytes + GuestProgram.PAGE - 1) / GuestProgram.PAGE;
        byte[] table = table(tableBytes);
        Map<Integer, AtomicLong> calls = new ConcurrentHashMap<>();
        GuestRequestHandler host = (req, mem) -> {
            long n = calls.computeIfAbsent(req.vcpuIndex(), k -> new AtomicLong()).incrementAndGet();
            NativeGuestResult result;
            if (busyEvery > 0 && n % busyEvery == 0) {
                result = NativeGuestResult.busy();
            } else if (req.npages() < pagesNeeded) {
                result = NativeGuestResult.invalidLen(pagesNeeded);
            } else {
                mem.write(req.certGpa(), table);
                result = NativeGuestResult.ok(0);
            }
            return CompletableFuture.completedFuture(result);
        };
        GuestProgramConfig program = new GuestProgramConfig(iterations, 1, Math.max(1, pagesNeeded));
        try (NativeVm vm = NativeVm.create(NativeVmConfig.of(vcpus, program))) {
            long start = System.nanoTime();
            vm.start(host);
            List<VcpuOutcome> outcomes = vm.awaitCompletion(Duration.ofMinutes(5));
            return new Report(outcomes, vm.stats().snapshot(), System.nanoTime() - start);
        }
    }

    /** A table with one VCEK-GUID entry covering the bytes after the table. */
    private static byte[] table(int tableBytes) {
        int size = Math.max(tableBytes, 64);
        byte[] t = new byte[size];
        byte[] guid = {(byte) 0x63, (byte) 0xda, (byte) 0x75, (byte) 0x8d, (byte) 0xe6, (byte) 0x64,
            (byte) 0x45, (byte) 0x64, (byte) 0xad, (byte) 0xc5, (byte) 0xf4, (byte) 0xb9, (byte) 0x3b,
            (byte) 0xe8, (byte) 0xac, (byte) 0xcd};
        System.arraycopy(guid, 0, t, 0, 16);
        putInt(t, 16, 48);
        putInt(t, 20, size - 48);
        for (int i = 48; i < size; i++) {
            t[i] = (byte) (i * 31);
        }
        return t;
    }

    private static void putInt(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** {@code NativeSmoke [vcpus] [iterations] [busyEvery] [tableBytes]}: prints the figures. */
    public static void main(String[] args) throws InterruptedException {
        int vcpus = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int busyEvery = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int tableBytes = args.length > 3 ? Integer.parseInt(args[3]) : 6000;
        System.out.println(KvmProbe.probe().summary());
        for (int round = 0; round < 3; round++) { // the first round includes JIT warm-up
            System.out.printf(Locale.ROOT, "round %d: %d vcpus x %d requests, BUSY every %d, table %d bytes%n",
                    round, vcpus, iterations, busyEvery, tableBytes);
            System.out.print(run(vcpus, iterations, busyEvery, tableBytes).describe());
        }
    }
}
