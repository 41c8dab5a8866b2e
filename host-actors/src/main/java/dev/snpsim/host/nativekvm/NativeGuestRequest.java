package dev.snpsim.host.nativekvm;

/**
 * One doorbell, decoded from the vCPU's request block (the GHCB stand-in; see
 * {@link GuestProgram} for the layout): what the simulated vCPU would receive as a VMGEXIT.
 *
 * @param vcpuIndex   the vCPU that rang
 * @param exitCode    SW_EXITCODE (0x8000_0012 EXT_GUEST_REQUEST, 0x8000_0011 GUEST_REQUEST)
 * @param requestGpa  SW_EXITINFO1: the request page's guest physical address
 * @param responseGpa SW_EXITINFO2 on entry: the response page's guest physical address
 * @param certGpa     RAX: the certificate buffer's guest physical address (4 KiB aligned)
 * @param npages      RBX: pages in the certificate buffer
 */
public record NativeGuestRequest(int vcpuIndex, long exitCode, long requestGpa, long responseGpa,
        long certGpa, long npages) {

    /** True for SVM_VMGEXIT_EXT_GUEST_REQUEST. */
    public boolean extended() {
        return exitCode == GuestProgram.EXIT_EXT_GUEST_REQUEST;
    }

    /** Bytes of the certificate buffer the guest offered. */
    public long certBufferBytes() {
        return npages * GuestProgram.PAGE;
    }
}
