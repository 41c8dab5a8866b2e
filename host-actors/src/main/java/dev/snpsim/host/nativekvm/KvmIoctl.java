package dev.snpsim.host.nativekvm;

/**
 * KVM ioctl request numbers and constants, computed the way {@code <asm-generic/ioctl.h>}
 * does ({@code dir << 30 | size << 16 | type << 8 | nr}, {@code _IOC_WRITE} = 1,
 * {@code _IOC_READ} = 2) from {@code include/uapi/linux/kvm.h} and
 * {@code arch/x86/include/uapi/asm/kvm.h}, with the real x86-64 structure sizes.
 */
public final class KvmIoctl {
    /** {@code KVMIO}, the KVM ioctl type byte. */
    public static final int KVMIO = 0xAE;

    /** {@code _IO(KVMIO, 0x00)}: returns {@code KVM_API_VERSION} (12). */
    public static final long KVM_GET_API_VERSION = io(0x00);
    /** {@code _IO(KVMIO, 0x01)}: argument is the VM type; returns the VM fd. */
    public static final long KVM_CREATE_VM = io(0x01);
    /** {@code _IO(KVMIO, 0x03)}: argument is a capability number; on /dev/kvm or a VM fd. */
    public static final long KVM_CHECK_EXTENSION = io(0x03);
    /** {@code _IO(KVMIO, 0x04)}: size of the {@code kvm_run} mapping of a vCPU fd. */
    public static final long KVM_GET_VCPU_MMAP_SIZE = io(0x04);
    /** {@code _IO(KVMIO, 0x41)}: argument is the vCPU id; returns the vCPU fd. */
    public static final long KVM_CREATE_VCPU = io(0x41);
    /** {@code _IOW(KVMIO, 0x46, struct kvm_userspace_memory_region)} (32 bytes). */
    public static final long KVM_SET_USER_MEMORY_REGION = iow(0x46, KvmLayout.MEMORY_REGION_SIZE);
    /** {@code _IO(KVMIO, 0x80)}. */
    public static final long KVM_RUN = io(0x80);
    /** {@code _IOR(KVMIO, 0x81, struct kvm_regs)} (144 bytes). */
    public static final long KVM_GET_REGS = ior(0x81, KvmLayout.REGS_SIZE);
    /** {@code _IOW(KVMIO, 0x82, struct kvm_regs)}. */
    public static final long KVM_SET_REGS = iow(0x82, KvmLayout.REGS_SIZE);
    /** {@code _IOR(KVMIO, 0x83, struct kvm_sregs)} (312 bytes). */
    public static final long KVM_GET_SREGS = ior(0x83, KvmLayout.SREGS_SIZE);
    /** {@code _IOW(KVMIO, 0x84, struct kvm_sregs)}. */
    public static final long KVM_SET_SREGS = iow(0x84, KvmLayout.SREGS_SIZE);
    /** {@code _IOW(KVMIO, 0xe2, struct kvm_device_attr)} (24 bytes); also on /dev/kvm (x86). */
    public static final long KVM_GET_DEVICE_ATTR = iow(0xE2, KvmLayout.DEVICE_ATTR_SIZE);
    /** {@code _IOW(KVMIO, 0xe3, struct kvm_device_attr)}. */
    public static final long KVM_HAS_DEVICE_ATTR = iow(0xE3, KvmLayout.DEVICE_ATTR_SIZE);

    /** {@code KVM_API_VERSION}: the only version the kernel has ever reported since 2.6.22. */
    public static final int KVM_API_VERSION = 12;

    /** {@code KVM_CAP_USER_MEMORY}. */
    public static final int KVM_CAP_USER_MEMORY = 3;
    /** {@code KVM_CAP_NR_VCPUS}: recommended maximum vCPUs. */
    public static final int KVM_CAP_NR_VCPUS = 9;
    /** {@code KVM_CAP_IMMEDIATE_EXIT}: {@code kvm_run.immediate_exit} is honoured. */
    public static final int KVM_CAP_IMMEDIATE_EXIT = 136;
    /** {@code KVM_CAP_VM_TYPES}: bitmask of the {@code KVM_X86_*_VM} types KVM_CREATE_VM accepts. */
    public static final int KVM_CAP_VM_TYPES = 235;
    /**
     * {@code KVM_CAP_EXIT_COCO} as numbered in the unmerged "KVM_EXIT_COCO" patch series (v2,
     * Nov 2024). Upstream later gave 239 to {@code KVM_CAP_ARM_WRITABLE_IMP_ID_REGS}, an arm64
     * capability that x86 KVM reports as 0; so on x86 a non-zero answer can only come from a
     * kernel carrying that series.
     */
    public static final int KVM_CAP_EXIT_COCO = 239;

    /** {@code KVM_X86_DEFAULT_VM}. */
    public static final int KVM_X86_DEFAULT_VM = 0;
    /** {@code KVM_X86_SNP_VM}. */
    public static final int KVM_X86_SNP_VM = 4;
    /** Names of the x86 VM types, indexed by type number ({@code KVM_X86_*_VM}). */
    static final String[] VM_TYPE_NAMES = {
        "KVM_X86_DEFAULT_VM", "KVM_X86_SW_PROTECTED_VM", "KVM_X86_SEV_VM", "KVM_X86_SEV_ES_VM",
        "KVM_X86_SNP_VM", "KVM_X86_TDX_VM"};

    /** {@code KVM_X86_GRP_SEV}: device-attribute group of SEV attributes on /dev/kvm. */
    public static final int KVM_X86_GRP_SEV = 1;
    /** {@code KVM_X86_SEV_SNP_REQ_CERTS}: 1 when the kernel has {@code KVM_EXIT_SNP_REQ_CERTS}. */
    public static final long KVM_X86_SEV_SNP_REQ_CERTS = 2;

    private static final int IOC_WRITE = 1;
    private static final int IOC_READ = 2;

    private KvmIoctl() {
    }

    /** {@code _IO(KVMIO, nr)}. */
    static long io(int nr) {
        return ioc(0, nr, 0);
    }

    /** {@code _IOR(KVMIO, nr, size)}: the kernel writes {@code size} bytes to userspace. */
    static long ior(int nr, int size) {
        return ioc(IOC_READ, nr, size);
    }

    /** {@code _IOW(KVMIO, nr, size)}: the kernel reads {@code size} bytes from userspace. */
    static long iow(int nr, int size) {
        return ioc(IOC_WRITE, nr, size);
    }

    private static long ioc(int dir, int nr, int size) {
        if (size < 0 || size >= 1 << 14) {
            throw KvmException.of("ioctl size %d does not fit _IOC_SIZEBITS (14)", size);
        }
        return ((long) dir << 30) | ((long) size << 16) | ((long) KVMIO << 8) | nr;
    }

    /** The name of an x86 VM type number, {@code "vm type 9"} when unknown. */
    public static String vmTypeName(int type) {
        return type >= 0 && type < VM_TYPE_NAMES.length ? VM_TYPE_NAMES[type] : "vm type " + type;
    }
}
