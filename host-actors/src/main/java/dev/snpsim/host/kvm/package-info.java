/**
 * KVM's side of an SNP host: VMs and their vCPUs, guest memory with shared and private
 * pages, the certificate exits to userspace and the VMM that answers them.
 *
 * <ul>
 *   <li>{@link dev.snpsim.host.kvm.Vm}: VM type, {@code KVM_CAP_EXIT_COCO} handling, measured launch
 *       through the PSP, spawns its vCPUs and VMM.
 *   <li>{@link dev.snpsim.host.kvm.Vcpu}: validates VMGEXITs, the kernel path to the PSP, the
 *       certificate exit of the host's {@link dev.snpsim.host.kvm.HostAbiProfile} and the mapping
 *       of userspace's answer to SW_EXITINFO2 ({@link dev.snpsim.host.kvm.CertExitAbi}).
 *   <li>{@link dev.snpsim.host.kvm.Vmm}: QEMU's role, the certificate blob under a shared OFD lock.
 *   <li>{@link dev.snpsim.host.kvm.SevGate}: the host rate limiter in front of the PSP.
 * </ul>
 *
 * <p>When a guest's request cannot be served the guest may get no answer at all, as on a real
 * host: KVM_RUN fails (upstream's EINVAL for an unknown {@code ret}, EIO when KVM cannot read or
 * write a page the guest named) and the VMM would stop the VM. Guest drivers need a timeout.
 */
package dev.snpsim.host.kvm;
