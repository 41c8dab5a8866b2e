package dev.snpsim.host.nativekvm;

import com.sun.jna.Memory;

/** A VM file descriptor: {@code KVM_CHECK_EXTENSION}, memory slots and vCPU creation. */
public final class KvmVm implements AutoCloseable {
    private final NativeFd fd;
    private final int vcpuMmapSize;
    private final int type;

    KvmVm(NativeFd fd, int vcpuMmapSize, int type) {
        this.fd = fd;
        this.vcpuMmapSize = vcpuMmapSize;
        this.type = type;
    }

    /** The VM type it was created with ({@code KVM_X86_*_VM}). */
    public int type() {
        return type;
    }

    /** {@code KVM_CHECK_EXTENSION} on the VM fd (per-VM answers such as KVM_CAP_EXIT_COCO). */
    public int checkExtension(int capability) {
        return fd.ioctl("KVM_CHECK_EXTENSION(" + capability + ")", KvmIoctl.KVM_CHECK_EXTENSION,
                capability);
    }

    /**
     * {@code KVM_SET_USER_MEMORY_REGION}: maps {@code size} bytes of host memory at
     * {@code hostAddress} into guest physical memory at {@code gpa} in {@code slot}.
     * A size of 0 deletes the slot.
     */
    public void setUserMemoryRegion(int slot, long gpa, long size, long hostAddress) {
        try (Memory region = new Memory(KvmLayout.MEMORY_REGION_SIZE)) {
            region.setInt(KvmLayout.MR_SLOT, slot);
            region.setInt(KvmLayout.MR_FLAGS, 0);
            region.setLong(KvmLayout.MR_GUEST_PHYS_ADDR, gpa);
            region.setLong(KvmLayout.MR_MEMORY_SIZE, size);
            region.setLong(KvmLayout.MR_USERSPACE_ADDR, hostAddress);
            fd.ioctl(String.format(java.util.Locale.ROOT,
                    "KVM_SET_USER_MEMORY_REGION(slot %d, gpa 0x%x, size 0x%x)", slot, gpa, size),
                    KvmIoctl.KVM_SET_USER_MEMORY_REGION, region);
        }
    }

    /** {@code KVM_CREATE_VCPU} with the given id, and its {@code kvm_run} mapping. */
    public KvmVcpu createVcpu(int id) {
        int vcpuFd = fd.ioctl("KVM_CREATE_VCPU(" + id + ")", KvmIoctl.KVM_CREATE_VCPU, id);
        NativeFd owned = new NativeFd(vcpuFd, "vcpu " + id + " fd " + vcpuFd);
        try {
            return new KvmVcpu(id, owned, HostMapping.vcpuRun(owned, vcpuMmapSize));
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return fd.toString();
    }
}
