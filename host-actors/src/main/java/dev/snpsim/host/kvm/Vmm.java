package dev.snpsim.host.kvm;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * Host userspace for one VM (QEMU's role): answers certificate exits from the VM's vCPUs
 * with the certificate store's blob under a shared lock, and drops the lock when KVM_RUN
 * returns EINTR after the firmware request (or on the v15 DONE exit).
 *
 * <p>PROTOCOL FROZEN between vCPU and VMM: add messages, do not change these records without
 * telling their owners.
 */
public final class Vmm {
    /** Everything a VMM accepts. */
    public interface Command {
    }

    /**
     * KVM_RUN returned to userspace with a certificate exit: {@code exit} holds the exit
     * structure of {@code profile} byte-exact (the v15 {@code kvm_user_vmgexit}, the seed's
     * {@code kvm_exit_coco}, or upstream's {@code kvm_exit_snp_req_certs}); the VMM answers with
     * {@link Vcpu.UserspaceReturn} to {@code vcpu}.
     */
    public record CertificateExit(int vcpuIndex, HostAbiProfile profile, byte[] exit, ActorRef<Vcpu.Command> vcpu)
            implements Command {
    }

    /**
     * KVM_RUN returned to userspace with {@code errno} (EINTR after {@code immediate_exit}) or, for
     * V15, a second exit with status DONE ({@code errno == 0}): the firmware request of this vCPU's
     * last certificate exit has completed.
     */
    public record RunReturned(int vcpuIndex, int errno) implements Command {
    }

    private Vmm() {
    }
}
