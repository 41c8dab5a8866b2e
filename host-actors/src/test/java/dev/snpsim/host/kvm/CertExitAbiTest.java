package dev.snpsim.host.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.ghcb.Errno;
import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.KvmExitCoco;
import dev.snpsim.abi.ghcb.KvmUserVmgexit;
import dev.snpsim.abi.ghcb.VmmError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The exit structures both ways, per profile, without actors. */
class CertExitAbiTest {

    @ParameterizedTest
    @EnumSource(value = HostAbiProfile.class, names = {"COCO", "SNP_REQ_CERTS", "V15_VMGEXIT"})
    void userspaceSeesTheGuestsBufferAndKvmReadsBackTheAnswer(HostAbiProfile p) {
        byte[] exit = CertExitAbi.exitFor(p, 0x7_3000, 4);
        assertThat(CertExitAbi.request(p, exit)).isEqualTo(new CertExitAbi.Request(0x7_3000, 4));
        assertThat(CertExitAbi.complete(p, CertExitAbi.answer(p, exit, CertExitAbi.Answer.OK, 0, false)))
                .isEqualTo(new CertExitAbi.IssueRequest(false));
        assertThat(CertExitAbi.complete(p, CertExitAbi.answer(p, exit, CertExitAbi.Answer.NO_SPACE, 9, false)))
                .isEqualTo(new CertExitAbi.GuestError(ExitInfo2.of(VmmError.INVALID_LEN, 0), 9));
        assertThat(CertExitAbi.complete(p, CertExitAbi.answer(p, exit, CertExitAbi.Answer.AGAIN, 0, false)))
                .isEqualTo(new CertExitAbi.GuestError(ExitInfo2.of(VmmError.BUSY, 0), -1));
        assertThat(CertExitAbi.complete(p, CertExitAbi.answer(p, exit, CertExitAbi.Answer.IO_ERROR, 0, false)))
                .isEqualTo(new CertExitAbi.GuestError(CertExitAbi.generic(p), -1));
    }

    @Test
    void v15NotifyDoneRoundTripsAndTheDoneExitKeepsTheRequest() {
        byte[] exit = CertExitAbi.exitFor(HostAbiProfile.V15_VMGEXIT, 0x5000, 2);
        byte[] answered = CertExitAbi.answer(HostAbiProfile.V15_VMGEXIT, exit, CertExitAbi.Answer.OK, 0, true);
        assertThat(CertExitAbi.complete(HostAbiProfile.V15_VMGEXIT, answered))
                .isEqualTo(new CertExitAbi.IssueRequest(true));
        KvmUserVmgexit done = KvmUserVmgexit.decode(CertExitAbi.doneExit(answered), 0);
        assertThat(done.status()).isEqualTo(KvmUserVmgexit.STATUS_DONE);
        assertThat(done.dataGpa()).isEqualTo(0x5000);
    }

    @Test
    void cocoExitCarriesTheGuestFrameNumber() {
        byte[] exit = CertExitAbi.exitFor(HostAbiProfile.COCO, 0x7_3000, 4);
        assertThat(KvmExitCoco.decode(exit, 0).gfn()).isEqualTo(0x73);
    }

    @Test
    void malformedExitFromUserspaceFailsTheRunWithEinval() {
        byte[] exit = CertExitAbi.exitFor(HostAbiProfile.COCO, 0x7_3000, 4);
        exit[0] = 3; // nr beyond KVM_EXIT_COCO_MAX
        CertExitAbi.Completion c = CertExitAbi.complete(HostAbiProfile.COCO, exit);
        assertThat(c).isInstanceOf(CertExitAbi.RunFails.class);
        assertThat(((CertExitAbi.RunFails) c).errno()).isEqualTo(Errno.EINVAL);
        assertThat(((CertExitAbi.RunFails) c).why()).contains("nr is 3");
    }

    @Test
    void emptyTableProfileHasNoExit() {
        assertThatThrownBy(() -> CertExitAbi.exitFor(HostAbiProfile.EMPTY_TABLE, 0, 1))
                .hasMessage("profile EMPTY_TABLE has no certificate exit");
    }
}
