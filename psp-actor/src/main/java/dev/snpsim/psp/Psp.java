package dev.snpsim.psp;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.abi.report.TcbVersion;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The AMD Secure Processor: one serial firmware that executes one command at a time.
 *
 * <p>Every command waits its turn in the queue discipline of the scenario (FIFO like the
 * real device's mutex, per-VM deficit round robin, or launch commands first), then takes
 * its service time, then answers. A firmware failure travels back as a {@link FirmwareStatus}
 * in the reply, never as an exception. Guest contexts are named by {@code vmId}.
 *
 * <p>PROTOCOL FROZEN for the modules above (host-actors, guest-actors): add messages, do not
 * change these records without telling their owners.
 */
public final class Psp {
    /** Everything the PSP accepts. */
    public sealed interface Command permits GuestRequest, LaunchStart, LaunchUpdate, LaunchFinish, Decommission,
            PlatformStatus, Commit, SetConfig, VlekLoad, DownloadFirmware, PspInternal {
    }

    /** Messages the PSP sends itself (service time elapsed, ...); defined by the implementation. */
    public non-sealed interface PspInternal extends Command {
    }

    // ---- guest requests ------------------------------------------------------------------

    /**
     * SNP_GUEST_REQUEST for guest context {@code vmId}: the sealed request page (4 KiB, as the
     * guest wrote it: header + encrypted payload). The PSP opens it with the VMPCK the header
     * names, checks the sequence number, executes it and seals the response with seqno + 1.
     */
    public record GuestRequest(String vmId, byte[] request, ActorRef<GuestResponse> replyTo) implements Command {
    }

    /**
     * The answer to a {@link GuestRequest}. With {@code outcome == QUEUE_FULL} the firmware never
     * saw the request (a bounded queue refused it; the host turns that into BUSY for the guest)
     * and {@code status} is {@code SUCCESS} and {@code response} null. With {@code DONE} the
     * firmware ran it: {@code status} is the firmware status, and {@code response} the sealed
     * response page when the status is {@code SUCCESS} (null otherwise).
     */
    public record GuestResponse(String vmId, Outcome outcome, FirmwareStatus status, byte[] response) {
    }

    /** Whether the firmware executed a command or a bounded queue refused it. */
    public enum Outcome { DONE, QUEUE_FULL }

    // ---- guest lifecycle -----------------------------------------------------------------

    /** SNP_LAUNCH_START: creates guest context {@code vmId} with its policy. */
    public record LaunchStart(String vmId, GuestPolicy policy, ActorRef<LaunchReply> replyTo) implements Command {
    }

    /**
     * SNP_LAUNCH_UPDATE of one 4 KiB page at {@code gpa}. {@code page} is the plaintext for
     * NORMAL and VMSA pages, null for ZERO/UNMEASURED/SECRETS/CPUID. For SECRETS (and CPUID)
     * the reply carries the page as the firmware filled it (the secrets page holds the four
     * VMPCKs), which the host places in the guest's private memory.
     */
    public record LaunchUpdate(String vmId, PageType type, long gpa, byte[] page, ActorRef<LaunchReply> replyTo)
            implements Command {
    }

    /** SNP_LAUNCH_FINISH: the ID block (nullable: none) and 32 bytes of host data. */
    public record LaunchFinish(String vmId, byte[] idBlock, byte[] hostData, ActorRef<LaunchReply> replyTo)
            implements Command {
    }

    /** SNP_DECOMMISSION: drops guest context {@code vmId}. */
    public record Decommission(String vmId, ActorRef<LaunchReply> replyTo) implements Command {
    }

    /** The answer to a lifecycle command; {@code page} as described at {@link LaunchUpdate}, else null. */
    public record LaunchReply(String vmId, FirmwareStatus status, byte[] page) {
    }

    // ---- platform commands (the host's /dev/sev) -------------------------------------------

    /** SNP_PLATFORM_STATUS. */
    public record PlatformStatus(ActorRef<PlatformStatusReply> replyTo) implements Command {
    }

    /** The platform as SNP_PLATFORM_STATUS reports it. */
    public record PlatformStatusReply(FirmwareStatus status, PlatformState state) {
    }

    /** SNP_COMMIT: COMMITTED_TCB := CURRENT_TCB; no rollback below it afterwards. */
    public record Commit(ActorRef<PlatformReply> replyTo) implements Command {
    }

    /** SNP_SET_CONFIG; a reported TCB above COMMITTED is refused. */
    public record SetConfig(TcbVersion reportedTcb, boolean maskChipId, boolean maskChipKey,
                            ActorRef<PlatformReply> replyTo) implements Command {
    }

    /** SNP_VLEK_LOAD of a 432-byte wrapped hashstick. */
    public record VlekLoad(byte[] hashstick, ActorRef<PlatformReply> replyTo) implements Command {
    }

    /** DOWNLOAD_FIRMWARE_EX: a new firmware version raising CURRENT_TCB (the VCEK in force changes). */
    public record DownloadFirmware(int build, int minor, int major, TcbVersion newCurrentTcb,
                                   ActorRef<PlatformReply> replyTo) implements Command {
    }

    /** The answer to a platform command other than status; {@code command} names it ("SNP_COMMIT"). */
    public record PlatformReply(String command, FirmwareStatus status) {
    }

    private Psp() {
    }
}
