package dev.snpsim.host.nativekvm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Request numbers against the values the C preprocessor gives for {@code <linux/kvm.h>} on
 * x86-64 (printed by a C program compiled with gcc against the system's kernel headers).
 */
class KvmIoctlTest {

    @Test
    void numbersMatchTheKernelHeaders() {
        assertThat(KvmIoctl.KVM_GET_API_VERSION).isEqualTo(0xAE00L);
        assertThat(KvmIoctl.KVM_CREATE_VM).isEqualTo(0xAE01L);
        assertThat(KvmIoctl.KVM_CHECK_EXTENSION).isEqualTo(0xAE03L);
        assertThat(KvmIoctl.KVM_GET_VCPU_MMAP_SIZE).isEqualTo(0xAE04L);
        assertThat(KvmIoctl.KVM_CREATE_VCPU).isEqualTo(0xAE41L);
        assertThat(KvmIoctl.KVM_SET_USER_MEMORY_REGION).isEqualTo(0x4020AE46L);
        assertThat(KvmIoctl.KVM_RUN).isEqualTo(0xAE80L);
        assertThat(KvmIoctl.KVM_GET_REGS).isEqualTo(0x8090AE81L);
        assertThat(KvmIoctl.KVM_SET_REGS).isEqualTo(0x4090AE82L);
        assertThat(KvmIoctl.KVM_GET_SREGS).isEqualTo(0x8138AE83L);
        assertThat(KvmIoctl.KVM_SET_SREGS).isEqualTo(0x4138AE84L);
        assertThat(KvmIoctl.KVM_GET_DEVICE_ATTR).isEqualTo(0x4018AEE2L);
        assertThat(KvmIoctl.KVM_HAS_DEVICE_ATTR).isEqualTo(0x4018AEE3L);
    }

    @Test
    void vmTypeNamesFollowTheHeader() {
        assertThat(KvmIoctl.vmTypeName(0)).isEqualTo("KVM_X86_DEFAULT_VM");
        assertThat(KvmIoctl.vmTypeName(4)).isEqualTo("KVM_X86_SNP_VM");
        assertThat(KvmIoctl.vmTypeName(9)).isEqualTo("vm type 9");
        assertThat(KvmProbe.vmTypes(0b1_0001)).containsExactly("KVM_X86_DEFAULT_VM", "KVM_X86_SNP_VM");
        assertThat(KvmProbe.vmTypes(0)).containsExactly("KVM_X86_DEFAULT_VM");
    }
}
