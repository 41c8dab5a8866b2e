package dev.snpsim.host.nativekvm;

import static dev.snpsim.host.nativekvm.KvmAssumptions.assumeKvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JNA layer against the real /dev/kvm of this host. */
class KvmTest {

    @BeforeEach
    void kvm() {
        assumeKvm();
    }

    @Test
    void systemIoctlsAnswer() {
        try (Kvm kvm = Kvm.open()) {
            assertThat(kvm.apiVersion()).isEqualTo(KvmIoctl.KVM_API_VERSION);
            assertThat(kvm.checkExtension(KvmIoctl.KVM_CAP_USER_MEMORY)).isPositive();
            assertThat(kvm.checkExtension(KvmIoctl.KVM_CAP_IMMEDIATE_EXIT)).isPositive();
            // struct kvm_run is at least the 0x130 bytes up to its union's padding, rounded to pages
            assertThat(kvm.vcpuMmapSize()).isGreaterThanOrEqualTo(0x1000);
        }
    }

    @Test
    void aFailedIoctlNamesTheIoctlAndTheErrno() {
        try (Kvm kvm = Kvm.open()) {
            assertThatThrownBy(() -> kvm.createVm(99))
                    .isInstanceOf(KvmException.class)
                    .hasMessage("KVM_CREATE_VM(vm type 99) on /dev/kvm failed: errno 22 (invalid argument)")
                    .extracting(e -> ((KvmException) e).errno()).isEqualTo(22);
        }
    }

    @Test
    void regsSurviveSetAndGet() {
        try (Kvm kvm = Kvm.open(); KvmVm vm = kvm.createVm(KvmIoctl.KVM_X86_DEFAULT_VM);
                KvmVcpu vcpu = vm.createVcpu(0)) {
            Regs regs = new Regs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x1000, 0x2);
            vcpu.setRegs(regs);
            assertThat(vcpu.getRegs()).isEqualTo(regs);
        }
    }

    @Test
    void sregsSwitchToFlatProtectedMode() {
        try (Kvm kvm = Kvm.open(); KvmVm vm = kvm.createVm(KvmIoctl.KVM_X86_DEFAULT_VM);
                KvmVcpu vcpu = vm.createVcpu(0)) {
            Sregs reset = vcpu.getSregs();
            assertThat(reset.cs().selector()).isEqualTo(0xF000); // the x86 reset vector segment
            assertThat(reset.cr0() & Sregs.CR0_PE).isZero();

            vcpu.setSregs(reset.flatProtectedMode());
            Sregs after = vcpu.getSregs();
            assertThat(after.cr0() & Sregs.CR0_PE).isEqualTo(1);
            assertThat(after.cs()).isEqualTo(Segment.flatCode32(0x08));
            assertThat(after.ds()).isEqualTo(Segment.flatData32(0x10));
        }
    }

    @Test
    void immediateExitMakesKvmRunReturnAtOnce() {
        try (Kvm kvm = Kvm.open(); KvmVm vm = kvm.createVm(KvmIoctl.KVM_X86_DEFAULT_VM);
                KvmVcpu vcpu = vm.createVcpu(0)) {
            vcpu.requestImmediateExit();
            assertThat(vcpu.immediateExitRequested()).isTrue();
            assertThat(vcpu.run()).isEqualTo(ExitReason.INTR.code());
            vcpu.clearImmediateExit();
            assertThat(vcpu.immediateExitRequested()).isFalse();
        }
    }

    @Test
    void sregsRoundTripThroughTheirBytes() {
        Sregs s = new Sregs(Segment.flatCode32(8), Segment.flatData32(0x10), Segment.flatData32(0x18),
                new Segment(0x1234_5678_9ABCL, 0xFFFF, 0x20, 3, 1, 3, 0, 1, 1, 0, 1, 0),
                Segment.flatData32(0x28), Segment.flatData32(0x30),
                new Segment(0, 0xFFFF, 0, 11, 1, 0, 0, 0, 0, 0, 0, 0),
                new Segment(0, 0xFFFF, 0, 2, 1, 0, 0, 0, 0, 0, 0, 1),
                new DescriptorTable(0x7000, 0x17), new DescriptorTable(0x8000, 0x7FF),
                0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xFEE0_0900L, List.of(1L, 2L, 3L, 1L << 63));
        try (Memory m = new Memory(KvmLayout.SREGS_SIZE)) {
            m.clear();
            s.encode(m);
            assertThat(Sregs.decode(m)).isEqualTo(s);
            assertThat(m.getLong(0xE0)).as("cr0 @0xe0").isEqualTo(0x11);
            assertThat(m.getLong(0x108)).as("efer @0x108").isEqualTo(0x66);
            assertThat(m.getLong(0x130)).as("interrupt_bitmap[3] @0x130").isEqualTo(1L << 63);
            assertThat(m.getShort(0x18 * 3 + 0x0C)).as("fs.selector").isEqualTo((short) 0x20);
        }
    }

    @Test
    void regsRoundTripThroughTheirBytes() {
        Regs r = new Regs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
        try (Memory m = new Memory(KvmLayout.REGS_SIZE)) {
            r.encode(m);
            assertThat(Regs.decode(m)).isEqualTo(r);
            assertThat(m.getLong(0x80)).as("rip @0x80").isEqualTo(17);
        }
    }
}
