package dev.snpsim.host.nativekvm;

import java.time.Duration;

/**
 * How to build a {@link NativeVm}.
 *
 * @param vcpus          vCPUs, each on its own thread (1..64)
 * @param program        the guest program every vCPU runs
 * @param vmType         KVM_CREATE_VM type: {@link KvmIoctl#KVM_X86_DEFAULT_VM} here; the SNP
 *                       type is accepted only where the probe reports it
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
        if (handlerTimeout.isNegative() || handlerTimeout.isZero()) {
            throw KvmException.of("handlerTimeout is %s (expected: positive)", handlerTimeout);
        }
    }

    /** A default VM with a 30 s handler timeout. */
    public static NativeVmConfig of(int vcpus, GuestProgramConfig program) {
        return new NativeVmConfig(vcpus, program, KvmIoctl.KVM_X86_DEFAULT_VM, Duration.ofSeconds(30));
    }
}
