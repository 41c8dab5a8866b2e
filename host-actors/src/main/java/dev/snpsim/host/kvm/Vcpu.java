package dev.snpsim.host.kvm;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * One vCPU of an SNP VM: KVM's run loop. A guest's VMGEXIT arrives as {@link Vmgexit}; plain
 * requests go through the kernel path to the PSP; extended requests with certificate exits
 * enabled go to userspace (the VMM) first, as the VM's {@link HostAbiProfile} says. The guest
 * resumes with {@link VmgexitDone}.
 *
 * <p>PROTOCOL FROZEN for guest-actors: add messages, do not change these records without
 * telling their owners.
 */
public final class Vcpu {
    /** Everything a vCPU accepts. */
    public interface Command {
    }

    /**
     * The guest's VMGEXIT, with the GHCB fields as the guest set them: SW_EXITCODE
     * (0x8000_0011 guest request, 0x8000_0012 extended), SW_EXITINFO1 = request page GPA,
     * SW_EXITINFO2 = response page GPA, and for an extended request RAX = certificate buffer GPA
     * and RBX = its number of pages. The request page must already hold the sealed message.
     */
    public record Vmgexit(long swExitCode, long swExitInfo1, long swExitInfo2, long rax, long rbx,
                          ActorRef<VmgexitDone> replyTo) implements Command {
    }

    /**
     * The guest resumes: SW_EXITINFO2 as KVM left it (VMM error in bits 63:32, firmware error in
     * 31:0) and RBX (pages needed after INVALID_LEN, else as it was). On success the sealed
     * response is in the response page and, for an extended request, the certificate table in
     * the buffer.
     */
    public record VmgexitDone(long swExitInfo2, long rbx) {
    }

    /**
     * Userspace re-enters KVM_RUN after a certificate exit: {@code exit} is the exit structure of
     * the profile (byte-exact, as in {@code kvm_run}) with the fields userspace set ({@code ret},
     * pages needed), and whether it set {@code kvm_run.immediate_exit}.
     */
    public record UserspaceReturn(byte[] exit, boolean immediateExit) implements Command {
    }

    private Vcpu() {
    }
}
