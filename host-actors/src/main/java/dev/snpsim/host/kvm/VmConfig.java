package dev.snpsim.host.kvm;

import dev.snpsim.abi.report.GuestPolicy;
import java.util.List;
import java.util.Locale;

/**
 * One tenant VM as a scenario describes it.
 *
 * @param vmId            guest context name at the PSP and in traces
 * @param vcpus           number of vCPUs (1..64)
 * @param memoryBytes     guest physical memory, a multiple of 4 KiB covering {@link Vm#IMAGE_GPA} and the image
 * @param policy          the guest policy given to SNP_LAUNCH_START
 * @param snp             false for a plain (non-SNP) VM, which hostile tests use
 * @param enabledExitMask certificate exits enabled at creation: bit {@code KvmExitCoco.REQ_CERTS} as for
 *                        {@code KVM_ENABLE_CAP(KVM_CAP_EXIT_COCO)} (profile COCO) or
 *                        {@code KVM_SEV_SNP_ENABLE_REQ_CERTS} (profile SNP_REQ_CERTS); ignored by the others
 * @param hostData        32 bytes given to SNP_LAUNCH_FINISH (reports carry them as HOST_DATA)
 * @param imagePages      the measured boot image, 4 KiB pages laid out from {@link Vm#IMAGE_GPA}
 */
public record VmConfig(String vmId, int vcpus, long memoryBytes, GuestPolicy policy, boolean snp, int enabledExitMask,
                       byte[] hostData, List<byte[]> imagePages) {
    public static final int MAX_VCPUS = 64;
    public static final int HOST_DATA_SIZE = 32;

    public VmConfig {
        if (vmId == null || vmId.isEmpty()) {
            throw new IllegalArgumentException("vm id is missing");
        }
        if (!vmId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("vm id '" + vmId
                    + "' (expected: 1..64 letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        if (vcpus < 1 || vcpus > MAX_VCPUS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "vm %s: vcpus is %d (expected: 1..%d)", vmId, vcpus, MAX_VCPUS));
        }
        if (policy == null) {
            throw new IllegalArgumentException("vm " + vmId + ": policy is missing");
        }
        hostData = hostData == null ? new byte[HOST_DATA_SIZE] : hostData.clone();
        if (hostData.length != HOST_DATA_SIZE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "vm %s: host data is %d bytes (expected: %d)", vmId, hostData.length, HOST_DATA_SIZE));
        }
        imagePages = imagePages == null ? List.of() : List.copyOf(imagePages);
        for (int i = 0; i < imagePages.size(); i++) {
            if (imagePages.get(i).length != GuestMemory.PAGE_SIZE) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "vm %s: image page %d is %d bytes (expected: 0x1000)", vmId, i, imagePages.get(i).length));
            }
        }
        long needed = Vm.IMAGE_GPA + (long) imagePages.size() * GuestMemory.PAGE_SIZE;
        if (memoryBytes <= 0 || memoryBytes % GuestMemory.PAGE_SIZE != 0 || memoryBytes < needed) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "vm %s: memory is 0x%x bytes (expected: a multiple of 0x1000, at least 0x%x)", vmId, memoryBytes,
                    needed));
        }
    }

    /** An SNP VM with the default policy, certificate exits enabled, one image page of {@code vmId}'s bytes. */
    public static VmConfig snp(String vmId, int vcpus) {
        byte[] page = new byte[GuestMemory.PAGE_SIZE];
        byte[] name = vmId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.arraycopy(name, 0, page, 0, Math.min(name.length, page.length));
        return new VmConfig(vmId, vcpus, 4L << 20, GuestPolicy.DEFAULT, true, 1, null, List.of(page));
    }

    public VmConfig withSnp(boolean isSnp) {
        return new VmConfig(vmId, vcpus, memoryBytes, policy, isSnp, enabledExitMask, hostData, imagePages);
    }

    public VmConfig withEnabledExitMask(int mask) {
        return new VmConfig(vmId, vcpus, memoryBytes, policy, snp, mask, hostData, imagePages);
    }

    public VmConfig withHostData(byte[] data) {
        return new VmConfig(vmId, vcpus, memoryBytes, policy, snp, enabledExitMask, data, imagePages);
    }

    @Override
    public byte[] hostData() {
        return hostData.clone();
    }

    @Override
    public String toString() {
        return "VmConfig[" + vmId + ", vcpus=" + vcpus + ", memory=0x" + Long.toHexString(memoryBytes) + ", "
                + policy + ", snp=" + snp + ", exits=0x" + Integer.toHexString(enabledExitMask) + ", "
                + imagePages.size() + " image pages]";
    }
}
