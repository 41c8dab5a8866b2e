package dev.snpsim.psp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.sim.metrics.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The PSP's metrics, kept as handles, against a look-up by key of every metric on every event. */
class PspMetricsTest {
    private static final Duration WINDOW = Duration.ofMillis(100);

    /** What PspMetrics records, each metric looked up by its key per event. */
    private static final class ByKey {
        final Metrics m;

        ByKey(Metrics m) {
            this.m = m;
            m.counter("psp/busy-ns");
            m.counter("psp/commands");
            m.counter("psp/queue-full");
            m.timeSeries("psp/queue-depth", WINDOW);
            m.timeSeries("psp/utilisation", WINDOW);
            m.histogram("psp/wait");
            m.histogram("psp/service");
        }

        void queueDepth(long now, int n) {
            m.timeSeries("psp/queue-depth", WINDOW).record(now, n);
        }

        void started(String vm, long wait) {
            m.histogram("psp/wait").recordValue(wait);
            m.summary("psp/wait/" + vm).record(wait);
        }

        void completed(long now, String vm, CommandKind kind, FirmwareStatus status, long service) {
            m.counter("psp/busy-ns").add(service);
            m.counter("psp/commands").increment();
            m.timeSeries("psp/utilisation", WINDOW).record(now, service);
            m.histogram("psp/service").recordValue(service);
            m.summary("psp/service/" + vm).record(service);
            m.counter(PspMetrics.commandKey("psp", kind, status)).increment();
        }

        void refused(String vm) {
            m.counter("psp/queue-full").increment();
            m.counter("psp/queue-full/" + vm).increment();
        }
    }

    private static Map<String, String> all(Metrics m) {
        Map<String, String> out = new TreeMap<>();
        m.counters().forEach((k, c) -> out.put("counter " + k, Long.toString(c.get())));
        m.summaries().forEach((k, s) -> out.put("summary " + k, s.snapshot().toString()));
        m.histograms().forEach((k, h) -> out.put("histogram " + k, h.getTotalCount() + " " + h.getMinValue()
                + " " + h.getMaxValue() + " " + h.getMean()));
        m.timeSeries().forEach((k, t) -> out.put("series " + k, t.windows().toString()));
        return out;
    }

    @Test
    void recordsTheSameKeysAndValuesAsALookUpPerEvent() {
        Metrics kept = new Metrics(false);
        Metrics looked = new Metrics(false);
        PspMetrics psp = new PspMetrics(kept, "psp", WINDOW);
        ByKey ref = new ByKey(looked);
        SplittableRandom r = new SplittableRandom(7);
        String[] vms = {"vm-0", "vm-1", "vm-2", "vm-10", Psp.HOST};
        CommandKind[] kinds = CommandKind.values();
        FirmwareStatus[] statuses = {FirmwareStatus.SUCCESS, FirmwareStatus.values()[FirmwareStatus.values().length - 1]};
        long now = 0;
        for (int i = 0; i < 5_000; i++) {
            // mostly forward in time, sometimes back into an earlier window
            now = Math.max(0, now + r.nextLong(-30_000_000L, 50_000_000L));
            // a fresh String each time, as a message would carry
            String vm = new String(vms[r.nextInt(i < 2_500 ? 3 : vms.length)]);
            switch (r.nextInt(4)) {
                case 0 -> {
                    int n = r.nextInt(20);
                    psp.queueDepth(now, n);
                    ref.queueDepth(now, n);
                }
                case 1 -> {
                    long wait = r.nextLong(10_000_000L);
                    psp.started(vm, wait);
                    ref.started(vm, wait);
                }
                case 2 -> {
                    CommandKind kind = kinds[r.nextInt(kinds.length)];
                    FirmwareStatus status = statuses[r.nextInt(10) == 0 ? 1 : 0];
                    long service = r.nextLong(1, 9_000_000L);
                    psp.completed(now, vm, kind, status, service);
                    ref.completed(now, vm, kind, status, service);
                }
                default -> {
                    if (r.nextInt(8) == 0 && !vm.equals("vm-2")) {
                        psp.refused(vm);
                        ref.refused(vm);
                    }
                }
            }
            if (i == 2_500) {
                assertThat(all(kept)).isEqualTo(all(looked));
            }
        }
        assertThat(all(kept)).isEqualTo(all(looked));
        assertThat(kept.counters()).containsKey("psp/queue-full/vm-0").doesNotContainKey("psp/queue-full/vm-2");
    }

    @Test
    void aVmWithOnlyAStartHasNoServiceSummary() {
        Metrics m = new Metrics(false);
        PspMetrics psp = new PspMetrics(m, "psp", WINDOW);
        psp.started("vm-0", 5);
        psp.completed(10, "vm-1", CommandKind.SNP_GUEST_REQUEST, FirmwareStatus.SUCCESS, 3);
        assertThat(m.summaries().keySet()).containsExactly("psp/service/vm-1", "psp/wait/vm-0");
        assertThat(m.counters()).containsKey("psp/cmd/SNP_GUEST_REQUEST/SUCCESS")
                .doesNotContainKey("psp/queue-full/vm-0");
    }
}
