package dev.snpsim.host.nativekvm;

import static dev.snpsim.host.nativekvm.KvmAssumptions.assumeKvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.host.nativekvm.VcpuOutcome.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The scripted smoke run, and the configuration checks in front of it. */
class NativeSmokeTest {

    @Test
    void smokeRunTakesEveryPath() throws Exception {
        assumeKvm();
        NativeSmoke.Report r = NativeSmoke.run(2, 40, 4, 6000); // 6000 bytes: 2 pages needed

        assertThat(r.outcomes()).allSatisfy(o -> {
            assertThat(o.state()).as(o.detail()).isEqualTo(State.HALTED);
            GuestCounters c = o.counters().orElseThrow();
            assertThat(c.successes()).isEqualTo(40);
            assertThat(c.invalidLenRetries()).isEqualTo(1);
            assertThat(c.busyRetries()).isPositive();
        });
        assertThat(r.stats().exitsByReason()).containsEntry("HLT", 2L);
        assertThat(r.describe()).contains("doorbells: " + r.stats().doorbells()).contains("p99");
    }

    @Test
    void configurationsOutsideTheSupportedRangeAreRefused() {
        GuestProgramConfig program = new GuestProgramConfig(1, 1, 1);
        assertThatThrownBy(() -> new NativeVmConfig(1, program, KvmIoctl.KVM_X86_SNP_VM, Duration.ofSeconds(1)))
                .isInstanceOf(KvmException.class).hasMessageStartingWith("vmType is KVM_X86_SNP_VM (expected:");
        assertThatThrownBy(() -> NativeVmConfig.of(0, program)).hasMessage("vcpus is 0 (expected: 1..64)");
        assertThatThrownBy(() -> new GuestProgramConfig(1, 5, 4))
                .hasMessage("initialPages is 5 (expected: 0..maxCertPages 4)");
        assertThatThrownBy(() -> new GuestProgramConfig(1, 0, 0)).hasMessage("maxCertPages is 0 (expected: 1..256)");
        assertThatThrownBy(() -> new GuestProgramConfig(-1, 0, 1)).hasMessage("iterations is -1 (expected: >= 0)");
    }
}
