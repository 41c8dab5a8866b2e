package dev.snpsim.host.nativekvm;

import com.sun.jna.Memory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The KVM system handle: an open {@code /dev/kvm} and its system ioctls. */
public final class Kvm implements AutoCloseable {
    /** Where the KVM device node lives. */
    public static final Path DEVICE = Path.of("/dev/kvm");

    private final NativeFd fd;

    private Kvm(NativeFd fd) {
        this.fd = fd;
    }

    /** Opens {@code /dev/kvm}; throws {@link KvmException} (errno ENOENT, EACCES...) if it cannot. */
    public static Kvm open() {
        return open(DEVICE);
    }

    /** Opens the KVM device at {@code device} (tests point this elsewhere). */
    static Kvm open(Path device) {
        return new Kvm(NativeFd.open(device.toString()));
    }

    /** True when {@code /dev/kvm} exists and this process may open it read-write. */
    public static boolean usable() {
        return Files.isReadable(DEVICE) && Files.isWritable(DEVICE);
    }

    /** {@code KVM_GET_API_VERSION}: 12 on every kernel that matters. */
    public int apiVersion() {
        return fd.ioctl("KVM_GET_API_VERSION", KvmIoctl.KVM_GET_API_VERSION, 0L);
    }

    /** {@code KVM_CHECK_EXTENSION} on /dev/kvm: 0 when the capability is absent. */
    public int checkExtension(int capability) {
        return fd.ioctl("KVM_CHECK_EXTENSION(" + capability + ")", KvmIoctl.KVM_CHECK_EXTENSION,
                capability);
    }

    /** {@code KVM_GET_VCPU_MMAP_SIZE}: bytes of the {@code kvm_run} mapping. */
    public int vcpuMmapSize() {
        return fd.ioctl("KVM_GET_VCPU_MMAP_SIZE", KvmIoctl.KVM_GET_VCPU_MMAP_SIZE, 0L);
    }

    /** {@code KVM_CREATE_VM} of the given type ({@link KvmIoctl#KVM_X86_DEFAULT_VM}, ...). */
    public KvmVm createVm(int type) {
        int vmFd = fd.ioctl("KVM_CREATE_VM(" + KvmIoctl.vmTypeName(type) + ")",
                KvmIoctl.KVM_CREATE_VM, type);
        return new KvmVm(new NativeFd(vmFd, "vm fd " + vmFd), vcpuMmapSize(), type);
    }

    /**
     * A system device attribute: {@code KVM_HAS_DEVICE_ATTR}, then {@code KVM_GET_DEVICE_ATTR}
     * into a u64. Empty when the kernel does not know the group or attribute (ENXIO, EINVAL,
     * or ENOTTY on kernels without system device attributes).
     */
    public OptionalLong deviceAttribute(int group, long attribute) {
        try (Memory value = new Memory(8); Memory attr = new Memory(KvmLayout.DEVICE_ATTR_SIZE)) {
            value.setLong(0, 0);
            attr.clear();
            attr.setInt(KvmLayout.DA_FLAGS, 0);
            attr.setInt(KvmLayout.DA_GROUP, group);
            attr.setLong(KvmLayout.DA_ATTR, attribute);
            attr.setLong(KvmLayout.DA_ADDR, com.sun.jna.Pointer.nativeValue(value));
            try {
                fd.ioctl("KVM_HAS_DEVICE_ATTR(group " + group + ", attr " + attribute + ")",
                        KvmIoctl.KVM_HAS_DEVICE_ATTR, attr);
                fd.ioctl("KVM_GET_DEVICE_ATTR(group " + group + ", attr " + attribute + ")",
                        KvmIoctl.KVM_GET_DEVICE_ATTR, attr);
            } catch (KvmException e) {
                if (e.errno() != 0) {
                    return OptionalLong.empty();
                }
                throw e;
            }
            return OptionalLong.of(value.getLong(0));
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
