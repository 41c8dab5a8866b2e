package dev.snpsim.host.nativekvm;

import static dev.snpsim.host.nativekvm.KvmAssumptions.assumeKvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.host.nativekvm.VcpuOutcome.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stopping running vCPUs, refusing late writes, and freeing every fd and mapping. */
class NativeVmLifecycleTest {

    @BeforeEach
    void kvm() {
        assumeKvm();
    }

    @Test
    void closeStopsVcpusBusyInsideTheGuest() throws Exception {
        CountDownLatch spinning = new CountDownLatch(200);
        NativeVm vm = NativeVm.create(NativeVmConfig.of(2, new GuestProgramConfig(1, 1, 1)));
        vm.start((req, mem) -> { // BUSY forever: the guest retries without end
            spinning.countDown();
            return CompletableFuture.completedFuture(NativeGuestResult.busy());
        });
        assertThat(spinning.await(20, TimeUnit.SECONDS)).isTrue();
        vm.close();

        assertThat(vm.outcomes()).extracting(VcpuOutcome::state).containsExactly(State.STOPPED, State.STOPPED);
    }

    @Test
    void closeStopsVcpusWaitingForAHandlerThatNeverAnswers() throws Exception {
        CountDownLatch asked = new CountDownLatch(2);
        NativeVm vm = NativeVm.create(NativeVmConfig.of(2, new GuestProgramConfig(1, 1, 1)));
        vm.start((req, mem) -> {
            asked.countDown();
            return new CompletableFuture<>();
        });
        assertThat(asked.await(20, TimeUnit.SECONDS)).isTrue();
        vm.close();

        assertThat(vm.outcomes()).extracting(VcpuOutcome::state).containsExactly(State.STOPPED, State.STOPPED);
        assertThatThrownBy(() -> vm.memory().read(0, 1)).isInstanceOf(KvmException.class)
                .hasMessageContaining("no longer valid");
    }

    @Test
    void aHandlerCannotCloseItsOwnVm() throws Exception {
        AtomicReference<NativeVm> self = new AtomicReference<>();
        AtomicReference<String> refusal = new AtomicReference<>();
        try (NativeVm vm = NativeVm.create(NativeVmConfig.of(1, new GuestProgramConfig(1, 1, 1)))) {
            self.set(vm);
            vm.start((req, mem) -> {
                try {
                    self.get().close();
                } catch (KvmException e) {
                    refusal.set(e.getMessage());
                }
                return CompletableFuture.completedFuture(NativeGuestResult.generic());
            });
            VcpuOutcome out = vm.awaitCompletion(Duration.ofSeconds(30)).get(0);
            assertThat(out.counters()).contains(new GuestCounters(0, 0, 0, 0, 1));
            assertThat(refusal.get()).startsWith("close() of native vm ").contains("called on its own vcpu thread");
        }
    }

    @Test
    void writesOutsideTheBufferAndLateWritesAreRefused() throws Exception {
        byte[] table = CertTableFixture.table(CertTableFixture.chain(9, 100, 100, 100));
        AtomicReference<String> outside = new AtomicReference<>();
        AtomicReference<GuestMemory> kept = new AtomicReference<>();
        try (NativeVm vm = NativeVm.create(NativeVmConfig.of(1, new GuestProgramConfig(1, 1, 2)))) {
            vm.start((req, mem) -> {
                try {
                    mem.write(req.certGpa() + 0x1000 - 8, new byte[16]); // 8 bytes past the one page offered
                } catch (KvmException e) {
                    outside.set(e.getMessage());
                }
                mem.write(req.certGpa(), table);
                kept.set(mem);
                return CompletableFuture.completedFuture(NativeGuestResult.ok(0));
            });
            VcpuOutcome out = vm.awaitCompletion(Duration.ofSeconds(30)).get(0);
            assertThat(out.counters()).contains(new GuestCounters(1, 0, 0, 0, 0));
            long cert = vm.certBufferGpa(0);
            assertThat(outside.get()).isEqualTo(String.format(
                    "write of 0x10 bytes at gpa 0x%x refused: outside the writable windows"
                            + " ([response page [0x%x, 0x%x), certificate buffer [0x%x, 0x%x)])",
                    cert + 0xFF8, cert - 0x1000, cert, cert, cert + 0x1000));
            assertThat(vm.memory().read(cert + 0x1000 - 8, 16)).containsOnly(0);
            assertThatThrownBy(() -> kept.get().write(cert, new byte[] {1}))
                    .isInstanceOf(KvmException.class).hasMessageContaining("no longer valid");
        }
    }

    @Test
    void manyCreateRunCloseCyclesLeakNoFdsOrMappings() throws Exception {
        byte[] table = CertTableFixture.table(CertTableFixture.chain(5, 64, 64, 64));
        GuestRequestHandler handler = (req, mem) -> {
            mem.write(req.certGpa(), table);
            return CompletableFuture.completedFuture(NativeGuestResult.ok(0));
        };
        for (int i = 0; i < 10; i++) { // warm up: JIT code cache, JNA, glibc's thread-stack cache
            cycle(handler);
        }
        long fdsBefore = count(Path.of("/proc/self/fd"));
        long mapsBefore = mapsLines();

        for (int i = 0; i < 200; i++) {
            cycle(handler);
        }

        assertThat(kvmFds()).as("kvm fds left open").isEmpty();
        assertThat(Files.readAllLines(Path.of("/proc/self/maps"))).as("kvm mappings left")
                .noneMatch(l -> l.contains("kvm-vcpu"));
        // one leaked fd or mapping per cycle would add 200; the JVM itself may wobble by a few
        assertThat(count(Path.of("/proc/self/fd"))).isBetween(fdsBefore - 8, fdsBefore + 8);
        assertThat(mapsLines()).isBetween(mapsBefore - 40, mapsBefore + 40);
    }

    private static void cycle(GuestRequestHandler handler) throws InterruptedException {
        try (NativeVm vm = NativeVm.create(NativeVmConfig.of(2, new GuestProgramConfig(2, 1, 1)))) {
            vm.start(handler);
            List<VcpuOutcome> outcomes = vm.awaitCompletion(Duration.ofSeconds(30));
            assertThat(outcomes).allSatisfy(o -> assertThat(o.state()).as(o.detail()).isEqualTo(State.HALTED));
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static long mapsLines() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).size();
    }

    private static List<String> kvmFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> {
                try {
                    return Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    return "";
                }
            }).filter(t -> t.contains("kvm")).toList();
        }
    }
}
