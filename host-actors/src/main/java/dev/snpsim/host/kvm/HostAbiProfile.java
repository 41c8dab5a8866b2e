package dev.snpsim.host.kvm;

/**
 * How the host's KVM hands certificate requests to userspace (SPEC.md section 3): the
 * three ABI generations and the fallback. Selected per host in a scenario.
 */
public enum HostAbiProfile {
    /** The seed's {@code KVM_EXIT_COCO} (exit 40) with {@code KVM_CAP_EXIT_COCO}; ret 0/ENOSPC/EAGAIN/EIO. */
    COCO,
    /** The v15 patch's {@code KVM_EXIT_VMGEXIT} with {@code NOTIFY_DONE} and a second exit with status DONE. */
    V15_VMGEXIT,
    /** Upstream {@code KVM_EXIT_SNP_REQ_CERTS}; a ret outside 0/ENOSPC/EAGAIN/EIO fails the next KVM_RUN with EINVAL. */
    SNP_REQ_CERTS,
    /** No userspace exit: KVM writes an empty certificate table itself (KVM 6.11 until upstream). */
    EMPTY_TABLE
}
