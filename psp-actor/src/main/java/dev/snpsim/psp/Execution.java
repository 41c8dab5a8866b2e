package dev.snpsim.psp;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.psp.firmware.Firmware;
import dev.snpsim.psp.firmware.FirmwareResult;
import dev.snpsim.psp.firmware.FirmwareVersion;
import org.apache.pekko.actor.typed.ActorRef;

/** Runs one command on the firmware and answers its sender; returns the firmware status. */
final class Execution {
    private Execution() {
    }

    static FirmwareStatus run(Firmware fw, Psp.Command command) {
        if (command instanceof Psp.GuestRequest c) {
            FirmwareResult r = fw.guestRequest(c.vmId(), c.request());
            // the sealed page is fresh and the result is dropped here: hand it on without a copy,
            // or, still being computed, as it is (the receiver waits only if it reads the bytes)
            c.replyTo().tell(r.deferred() != null
                    ? new Psp.GuestResponse(c.vmId(), Psp.Outcome.DONE, r.status(), null, r.deferred())
                    : new Psp.GuestResponse(c.vmId(), Psp.Outcome.DONE, r.status(), r.pageShared()));
            return r.status();
        } else if (command instanceof Psp.LaunchStart c) {
            return lifecycle(c.vmId(), c.replyTo(), FirmwareResult.of(fw.launchStart(c.vmId(), c.policy())));
        } else if (command instanceof Psp.LaunchUpdate c) {
            return lifecycle(c.vmId(), c.replyTo(), fw.launchUpdate(c.vmId(), c.type(), c.gpa(), c.page()));
        } else if (command instanceof Psp.LaunchFinish c) {
            return lifecycle(c.vmId(), c.replyTo(),
                    FirmwareResult.of(fw.launchFinish(c.vmId(), c.idBlock(), c.hostData())));
        } else if (command instanceof Psp.Decommission c) {
            return lifecycle(c.vmId(), c.replyTo(), FirmwareResult.of(fw.decommission(c.vmId())));
        } else if (command instanceof Psp.PlatformStatus c) {
            c.replyTo().tell(new Psp.PlatformStatusReply(FirmwareStatus.SUCCESS, fw.platformStatus()));
            return FirmwareStatus.SUCCESS;
        } else if (command instanceof Psp.Commit c) {
            return platform(CommandKind.SNP_COMMIT, c.replyTo(), fw.commit());
        } else if (command instanceof Psp.SetConfig c) {
            return platform(CommandKind.SNP_SET_CONFIG, c.replyTo(),
                    fw.setConfig(c.reportedTcb(), c.maskChipId(), c.maskChipKey()));
        } else if (command instanceof Psp.VlekLoad c) {
            return platform(CommandKind.SNP_VLEK_LOAD, c.replyTo(), fw.vlekLoad(c.hashstick()));
        } else if (command instanceof Psp.DownloadFirmware c) {
            FirmwareStatus s;
            try {
                s = fw.downloadFirmware(new FirmwareVersion(c.build(), c.minor(), c.major()), c.newCurrentTcb());
            } catch (IllegalArgumentException e) {
                s = FirmwareStatus.INVALID_PARAM;
            }
            return platform(CommandKind.SNP_DOWNLOAD_FIRMWARE_EX, c.replyTo(), s);
        }
        throw new IllegalArgumentException("not a firmware command: " + command.getClass().getSimpleName());
    }

    private static FirmwareStatus lifecycle(String vmId, ActorRef<Psp.LaunchReply> to,
                                            FirmwareResult r) {
        to.tell(new Psp.LaunchReply(vmId, r.status(), r.page()));
        return r.status();
    }

    private static FirmwareStatus platform(CommandKind kind, ActorRef<Psp.PlatformReply> to,
                                           FirmwareStatus s) {
        to.tell(new Psp.PlatformReply(kind.name(), s));
        return s;
    }
}
