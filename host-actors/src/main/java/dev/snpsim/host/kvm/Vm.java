package dev.snpsim.host.kvm;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One tenant's VM: its type (SNP or not), guest memory, vCPUs, VMM, the per-VM
 * {@code KVM_CAP_EXIT_COCO} bitmask, and its launch through the PSP
 * (SNP_LAUNCH_START, SNP_LAUNCH_UPDATE of every page including the secrets page, SNP_LAUNCH_FINISH).
 *
 * <p>PROTOCOL FROZEN for guest-actors: add messages, do not change these records without
 * telling their owners.
 */
public final class Vm {
    /** Everything a VM accepts. */
    public interface Command {
    }

    /** Launches the guest (measured boot through the PSP) and creates its vCPUs. */
    public record Launch(ActorRef<Launched> replyTo) implements Command {
    }

    /**
     * The launch's outcome. With {@code status == SUCCESS}: the guest's memory (the secrets page
     * with the four VMPCKs, placed by the firmware, sits private at {@code secretsPageGpa}), its
     * vCPUs in index order, and the launch digest (the MEASUREMENT reports will carry). Otherwise
     * the firmware status of the command that failed, and null/empty for the rest.
     */
    public record Launched(String vmId, FirmwareStatus status, GuestMemory memory,
                           List<ActorRef<Vcpu.Command>> vcpus, long secretsPageGpa, byte[] measurement) {
    }

    private Vm() {
    }
}
