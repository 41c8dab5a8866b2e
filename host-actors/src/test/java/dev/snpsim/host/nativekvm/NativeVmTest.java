package dev.snpsim.host.nativekvm;

import static dev.snpsim.host.nativekvm.KvmAssumptions.assumeKvm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.host.nativekvm.VcpuOutcome.State;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guest program end to end on real vCPUs, with scripted handlers. */
class NativeVmTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeEach
    void kvm() {
        assumeKvm();
    }

    @Test
    void successWritesTheTableIntoGuestMemoryAndTheGuestCountsIt() throws Exception {
        byte[] table = CertTableFixture.table(CertTableFixture.chain(1, 1500, 1400, 1300));
        List<NativeGuestRequest> seen = new CopyOnWriteArrayList<>();
        List<Long> seqnos = new CopyOnWriteArrayList<>();
        try (NativeVm vm = NativeVm.create(NativeVmConfig.of(1, new GuestProgramConfig(3, 2, 4)))) {
            vm.start((req, mem) -> {
                seen.add(req);
                seqnos.add(mem.readLong(req.requestGpa() + GuestProgram.REQUEST_SEQNO_OFFSET));
                mem.write(req.certGpa(), table);
                return CompletableFuture.completedFuture(NativeGuestResult.ok(0));
            });
            List<VcpuOutcome> outcomes = vm.awaitCompletion(WAIT);

            assertThat(outcomes.get(0).state()).as(outcomes.get(0).detail()).isEqualTo(State.HALTED);
            assertThat(outcomes.get(0).counters()).contains(new GuestCounters(3, 0, 0, 0, 0));
            assertThat(vm.countersInMemory(0)).isEqualTo(new GuestCounters(3, 0, 0, 0, 0));
            assertThat(vm.memory().read(vm.certBufferGpa(0), table.length)).isEqualTo(table);
            long area = vm.areaGpa(0);
            assertThat(seen).hasSize(3).allSatisfy(r -> {
                assertThat(r.exitCode()).isEqualTo(0x8000_0012L);
                assertThat(r.requestGpa()).isEqualTo(area + 0x2000);
                assertThat(r.responseGpa()).isEqualTo(area + 0x3000);
                assertThat(r.certGpa()).isEqualTo(vm.certBufferGpa(0));
                assertThat(r.npages()).isEqualTo(2);
            });
            assertThat(seqnos).containsExactly(1L, 2L, 3L);
            NativeRunStats.Snapshot stats = vm.stats().snapshot();
            assertThat(stats.doorbells()).isEqualTo(3);
            assertThat(stats.exitsByReason()).containsEntry("IO", 3L + 5L).containsEntry("HLT", 1L);
            assertThat(stats.latenciesNanos()).hasSize(3);
            assertThat(stats.latenciesNanos()[0]).isPositive();
            assertThat(stats.inKvmRunNanos()).isPositive();
            assertThat(stats.meanKvmRunNanos()).isEqualTo((double) stats.inKvmRunNanos() / (3 + 5 + 1));
        }
    }

    @Test
    void busyIsRetriedWithTheSameRequestUntilItSucceeds() throws Exception {
        byte[] table = CertTableFixture.table(CertTableFixture.chain(2, 100, 100, 100));
        AtomicInteger calls = new AtomicInteger();
        List<Long> seqnos = new CopyOnWriteArrayList<>();
        try (NativeVm vm = NativeVm.create(NativeVmConfig.of(1, new GuestProgramConfig(2, 1, 1)))) {
            vm.start((req, mem) -> {
                seqnos.add(mem.readLong(req.requestGpa() + GuestProgram.REQUEST_SEQNO_OFFSET));
                if (calls.getAndIncrement() % 3 != 2) { // two BUSY answers, then success
                    return CompletableFuture.completedFuture(NativeGuestResult.busy());
                }
                mem.write(req.certGpa(), table);
                return CompletableFuture.completedFuture(NativeGuestResult.ok(0));
            });
            VcpuOutcome out = vm.awaitCompletion(WAIT).get(0);

            assertThat(out.counters()).as(out.detail()).contains(new GuestCounters(2, 4, 0, 0, 0));
            assertThat(vm.stats().snapshot().doorbells()).isEqualTo(6);
            assertThat(seqnos).as("a BUSY retry resends the same request").containsExactly(1L, 1L, 1L, 2L, 2L, 2L);
        }
    }

    @Test
    void invalidLenMakesTheGuestAskAgainWithThePagesNeeded() throws Exception {
        byte[] table = CertTableFixture.table(CertTableFixture.chain(3, 4000, 3000, 2500)); // > 2 pages
        List<Long> offered = new CopyOnWriteArrayList<>();
        List<Long> seqnos = new CopyOnWriteArrayList<>();
        try (NativeVm vm = NativeVm.create(NativeVmConfig.of(1, new GuestProgramConfig(4, 1, 8)))) {
            vm.start((req, mem) -> {
                offered.add(req.npages());
                seqnos.add(mem.readLong(req.requestGpa() + GuestProgram.REQUEST_SEQNO_OFFSET));
                long needed = (table.length + 0xFFF) / 0x1000;
                if (req.npages() < needed) {
                    return CompletableFuture.completedFuture(NativeGuestResult.invalidLen(needed));
                }
                mem.write(req.certGpa(), table);
                return CompletableFuture.completedFuture(NativeGuestResult.ok(0));
            });
            VcpuOutcome out = vm.awaitCompletion(WAIT).get(0);

            assertThat(out.counters()).as(out.detail()).contains(new GuestCounters(4, 0, 1, 0, 0));
            assertThat(offered).containsExactly(1L, 3L, 3L, 3L, 3L);
            assertThat(seqnos).as("asking again after INVALID_LEN is a new request").containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(vm.memory().read(vm.certBufferGpa(0), table.length)).isEqualTo(table);
        }
    }

    @Test
    void invalidLenBeyondTheGuestsBufferIsAnError() throws Exception {
        try (NativeVm vm = NativeVm.create(NativeVmConfig.of(1, new GuestProgramConfig(2, 1, 2)))) {
            vm.start((req, mem) -> CompletableFuture.completedFuture(NativeGuestResult.invalidLen(3)));
            VcpuOutcome out = vm.awaitCompletion(WAIT).get(0);

            assertThat(out.counters()).as(out.detail()).contains(new GuestCounters(0, 0, 2, 0, 2));
        }
    }

    @Test
    void malformedTablesAndErrorResultsAreCountedApart() throws Exception {
        byte[] good = CertTableFixture.table(CertTableFixture.chain(4, 200, 200, 200));
        AtomicInteger call = new AtomicInteger();
        try (NativeVm vm = NativeVm.create(NativeVmConfig.of(1, new GuestProgramConfig(6, 1, 1)))) {
            vm.start((req, mem) -> {
                NativeGuestResult ok = NativeGuestResult.ok(0);
                switch (call.getAndIncrement()) {
                    case 0 -> mem.write(req.certGpa(), good);
                    case 1 -> mem.write(req.certGpa(), CertTableFixture.entryPastBuffer(0x1000));
                    case 2 -> mem.write(req.certGpa(), new byte[0x1000]); // terminator only: no entry
                    case 3 -> mem.write(req.certGpa(), filled(0x1000)); // no terminator in the buffer
                    case 4 -> ok = NativeGuestResult.ok(0x16); // firmware error INVALID_PARAM
                    default -> ok = NativeGuestResult.generic();
                }
                return CompletableFuture.completedFuture(ok);
            });
            VcpuOutcome out = vm.awaitCompletion(WAIT).get(0);

            assertThat(out.counters()).as(out.detail()).contains(new GuestCounters(1, 0, 0, 3, 2));
        }
    }

    @Test
    void aFailingHandlerBecomesAGenericErrorForTheGuest() throws Exception {
        try (NativeVm vm = NativeVm.create(NativeVmConfig.of(1, new GuestProgramConfig(2, 1, 1)))) {
            vm.start((req, mem) -> CompletableFuture.failedFuture(new IllegalStateException("vmm down")));
            VcpuOutcome out = vm.awaitCompletion(WAIT).get(0);

            assertThat(out.counters()).as(out.detail()).contains(new GuestCounters(0, 0, 0, 0, 2));
            assertThat(vm.stats().snapshot().handlerFailures()).isEqualTo(2);
        }
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 0x5A);
        return b;
    }
}
