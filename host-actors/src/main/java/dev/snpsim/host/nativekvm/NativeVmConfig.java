package dev.snpsim.host.nativekvm;

import java.time.Duration;

/**
 * How to build a {@link NativeVm}.
 *
 * @param vcpus          vCPUs, each on its own thread (1..64)
 * @param program        the guest program every vCPU runs
 * @param vmType         KVM_CREATE_VM type; only {@link KvmIoctl#KVM_X86_DEFAULT_VM} for now:
 *                       an SNP VM ({@link KvmIoctl#KVM_X86_SNP_VM}) also needs KVM_SEV_INIT2,
 *                       guest_memfd private memory and the SNP_LAUNCH_* sequence, which the
 *                       backend does not implement (and no host here could test)
 * @param handlerTimeout how long a vCPU waits for the handler's answer before answering GENERIC
 */
public record NativeVmConfig(int vcpus, GuestProgramConfig program, int vmType,
        Duration handlerTimeout) {
    /** Most vCPUs one NativeVm runs. */
    public static final int MAX_VCPUS = 64;

    public NativeVmConfig {
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw KvmException.of("vcpus is %d (expected: 1..%d)", vcpus, MAX_VCPUS);
        }
        if (vmType != KvmIoctl.KVM_X86_DEFAULT_VM) {
            throw KvmException.of("vmType is %s (expected: KVM_X86_DEFAULT_VM; launching an SNP guest"
                    + " needs KVM_SEV_INIT2, guest_memfd and SNP_LAUNCH_*, not implemented)",
                    KvmIoctl.vmTypeName(vmType));
        }
        if (handlerTimeout.isNegative() || handlerTimeout.isZero()) {
            throw KvmException.of("handlerTimeout is %s (expected: positive)", handlerTimeout);
        }
    }

    /** A default VM with a 30 s handler timeout. */
    public static NativeVmConfig of(int vcpus, GuestProgramConfig program) {
        return new NativeVmConfig(vcpus, program, KvmIoctl.KVM_X86_DEFAULT_VM, Duration.ofSeconds(30));
    }
}
