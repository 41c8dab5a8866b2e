package dev.snpsim.host.nativekvm;

import static dev.snpsim.host.nativekvm.KvmAssumptions.assumeKvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.host.nativekvm.VcpuOutcome.State;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several real vCPUs at once, each on its own thread, answered asynchronously as actors would. */
class NativeVmConcurrencyTest {
    private static final int VCPUS = 4;
    private static final int ITERATIONS = 60;

    @BeforeEach
    void kvm() {
        assumeKvm();
    }

    @Test
    void vcpusRunConcurrentlyAndEachGetsItsOwnTable() throws Exception {
        // every vCPU's first request waits here until all four are inside the handler at once:
        // with vCPUs run one after another this barrier would time out
        CyclicBarrier allInside = new CyclicBarrier(VCPUS);
        AtomicReference<Throwable> barrierFailure = new AtomicReference<>();
        ConcurrentHashMap<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
        ExecutorService replies = Executors.newFixedThreadPool(2);
        try (NativeVm vm = NativeVm.create(NativeVmConfig.of(VCPUS, new GuestProgramConfig(ITERATIONS, 1, 4)))) {
            vm.start((req, mem) -> {
                int n = calls.computeIfAbsent(req.vcpuIndex(), k -> new AtomicInteger()).getAndIncrement();
                if (n == 0) {
                    try {
                        allInside.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        barrierFailure.set(e);
                    }
                }
                // a seeded script per vCPU: some BUSY, some INVALID_LEN for 2 pages, else success
                Random script = new Random(31L * req.vcpuIndex() + n);
                return CompletableFuture.supplyAsync(() -> {
                    int roll = script.nextInt(10);
                    if (roll == 0) {
                        return NativeGuestResult.busy();
                    }
                    if (req.npages() < 2) {
                        return NativeGuestResult.invalidLen(2);
                    }
                    mem.write(req.certGpa(), tableFor(req.vcpuIndex()));
                    return NativeGuestResult.ok(0);
                }, replies);
            });
            List<VcpuOutcome> outcomes = vm.awaitCompletion(Duration.ofSeconds(60));

            assertThat(barrierFailure.get()).as("all vCPUs inside the handler at once").isNull();
            long busy = 0;
            for (VcpuOutcome o : outcomes) {
                assertThat(o.state()).as(o.detail()).isEqualTo(State.HALTED);
                GuestCounters c = o.counters().orElseThrow();
                assertThat(c.successes()).isEqualTo(ITERATIONS);
                assertThat(c.invalidLenRetries()).isEqualTo(1);
                assertThat(c.badTables() + c.errors()).isZero();
                busy += c.busyRetries();
                byte[] own = tableFor(o.vcpuIndex());
                assertThat(vm.memory().read(vm.certBufferGpa(o.vcpuIndex()), own.length)).isEqualTo(own);
            }
            NativeRunStats.Snapshot s = vm.stats().snapshot();
            assertThat(s.doorbells()).isEqualTo(VCPUS * (ITERATIONS + 1L) + busy);
            assertThat(s.exitsByReason().get("IO")).isEqualTo(s.doorbells() + VCPUS * 5L);
            assertThat(s.exitsByReason().get("HLT")).isEqualTo(VCPUS);
            assertThat(s.latenciesNanos()).hasSize((int) s.doorbells());
        } finally {
            replies.shutdownNow();
        }
    }

    private static byte[] tableFor(int vcpu) {
        return CertTableFixture.table(CertTableFixture.chain(1000 + vcpu, 900 + vcpu, 800, 700));
    }
}
