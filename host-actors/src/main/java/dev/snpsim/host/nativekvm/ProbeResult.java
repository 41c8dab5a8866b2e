package dev.snpsim.host.nativekvm;

import java.util.List;

/**
 * What this host's KVM offers the native backend, as {@code snpsim probe} reports it.
 *
 * @param kvmPresent      {@code /dev/kvm} could be opened and answered KVM_GET_API_VERSION
 * @param apiVersion      KVM_GET_API_VERSION, 0 when KVM is absent
 * @param vmTypes         names of the VM types KVM_CREATE_VM accepts (from KVM_CAP_VM_TYPES;
 *                        just {@code KVM_X86_DEFAULT_VM} on kernels without that capability)
 * @param snpVmSupported  {@code KVM_X86_SNP_VM} (4) is among them
 * @param exitCocoMask    KVM_CHECK_EXTENSION(KVM_CAP_EXIT_COCO = 239) on a default VM: the
 *                        bitmask of certificate-exit event types; -1 when not reported (0)
 * @param snpReqCertsAttr the kernel reports the upstream KVM_EXIT_SNP_REQ_CERTS exit through
 *                        the /dev/kvm device attribute (group KVM_X86_GRP_SEV,
 *                        KVM_X86_SEV_SNP_REQ_CERTS) with value 1
 * @param sevDevice       {@code /dev/sev} (the host's PSP driver node) exists
 * @param summary         one sentence: what snpsim can do on this host (when KVM is
 *                        unusable, it says why)
 */
public record ProbeResult(boolean kvmPresent, int apiVersion, List<String> vmTypes,
        boolean snpVmSupported, long exitCocoMask, boolean snpReqCertsAttr, boolean sevDevice,
        String summary) {

    public ProbeResult {
        vmTypes = List.copyOf(vmTypes);
    }
}
