package dev.snpsim.psp.firmware;

import static dev.snpsim.abi.ghcb.FirmwareStatus.BAD_MEASUREMENT;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_ADDRESS;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_GUEST;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_GUEST_STATE;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_LENGTH;
import static dev.snpsim.abi.ghcb.FirmwareStatus.INVALID_PARAM;
import static dev.snpsim.abi.ghcb.FirmwareStatus.POLICY_FAILURE;
import static dev.snpsim.abi.ghcb.FirmwareStatus.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.launch.IdBlock;
import dev.snpsim.abi.launch.LaunchDigest;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.abi.launch.SecretsPage;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.psp.GuestSession;
import org.junit.jupiter.api.Test;

/** Guest lifecycle: order of commands, policy and ID block checks, the secrets page. */
class LaunchTest {
    private final Fixture f = new Fixture();

    @Test
    void theSecretsPageHoldsFourDistinctVmpcksAndIsGivenOnce() {
        f.fw.launchStart("vm", GuestPolicy.DEFAULT);
        FirmwareResult r = f.fw.launchUpdate("vm", PageType.SECRETS, 0x3000, null);
        SecretsPage page = SecretsPage.decode(r.page());
        assertThat(page.version()).isEqualTo(3);
        assertThat(page.fms()).isEqualTo(SecretsPage.fmsOf(0x19, 0x11, 0x01));
        assertThat(page.vmpck0()).isNotEqualTo(page.vmpck1()).isNotEqualTo(new byte[32]);
        assertThat(page.vmpck2()).isNotEqualTo(page.vmpck3());
        assertThat(f.fw.launchUpdate("vm", PageType.SECRETS, 0x4000, null).status()).isEqualTo(INVALID_PARAM);
    }

    @Test
    void commandsOutOfOrderGetTheSpecsErrors() {
        assertThat(f.fw.launchUpdate("nobody", PageType.ZERO, 0, null).status()).isEqualTo(INVALID_GUEST);
        assertThat(f.fw.launchFinish("nobody", null, null)).isEqualTo(INVALID_GUEST);
        assertThat(f.fw.guestRequest("nobody", new byte[4096]).status()).isEqualTo(INVALID_GUEST);
        assertThat(f.fw.launchStart("vm", GuestPolicy.DEFAULT)).isEqualTo(SUCCESS);
        assertThat(f.fw.launchStart("vm", GuestPolicy.DEFAULT)).isEqualTo(INVALID_GUEST_STATE);
        assertThat(f.fw.guestRequest("vm", new byte[4096]).status()).isEqualTo(INVALID_GUEST_STATE);
        assertThat(f.fw.launchFinish("vm", null, null)).isEqualTo(SUCCESS);
        assertThat(f.fw.launchUpdate("vm", PageType.ZERO, 0, null).status()).isEqualTo(INVALID_GUEST_STATE);
        assertThat(f.fw.launchFinish("vm", null, null)).isEqualTo(INVALID_GUEST_STATE);
        assertThat(f.fw.platformStatus().guestCount()).isEqualTo(1);
        assertThat(f.fw.decommission("vm")).isEqualTo(SUCCESS);
        assertThat(f.fw.decommission("vm")).isEqualTo(INVALID_GUEST);
        assertThat(f.fw.platformStatus().guestCount()).isZero();
    }

    @Test
    void badPagesAreRefused() {
        f.fw.launchStart("vm", GuestPolicy.DEFAULT);
        assertThat(f.fw.launchUpdate("vm", PageType.NORMAL, 0x1001, Fixture.PAGE).status()).isEqualTo(INVALID_ADDRESS);
        assertThat(f.fw.launchUpdate("vm", PageType.NORMAL, 0x1000, new byte[10]).status()).isEqualTo(INVALID_LENGTH);
        assertThat(f.fw.launchUpdate("vm", PageType.VMSA, LaunchDigest.VMSA_GPA, null).status()).isEqualTo(INVALID_LENGTH);
        assertThat(f.fw.launchFinish("vm", null, new byte[31])).isEqualTo(INVALID_LENGTH);
    }

    @Test
    void thePolicyIsChecked() {
        GuestPolicy abi2 = new GuestPolicy(GuestPolicy.DEFAULT.raw() | 2L << 8);
        assertThat(f.fw.launchStart("a", abi2)).isEqualTo(POLICY_FAILURE);
        GuestPolicy noSmt = new GuestPolicy(1L << 17);
        assertThat(f.fw.launchStart("b", noSmt)).isEqualTo(POLICY_FAILURE);
        GuestPolicy abi1dot55 = new GuestPolicy(GuestPolicy.DEFAULT.raw() | 1L << 8 | 55);
        assertThat(f.fw.launchStart("c", abi1dot55)).isEqualTo(SUCCESS);
        assertThat(f.fw.platformStatus().guestCount()).isEqualTo(1);
    }

    @Test
    void theIdBlockIsCheckedAndReachesTheReport() {
        f.fw.launchStart("vm", GuestPolicy.DEFAULT);
        f.fw.launchUpdate("vm", PageType.NORMAL, 0x1000, Fixture.PAGE);
        FirmwareResult secrets = f.fw.launchUpdate("vm", PageType.SECRETS, 0x2000, null);
        byte[] ld = new LaunchDigest().update(PageType.NORMAL, 0x1000, Fixture.PAGE)
                .update(PageType.SECRETS, 0x2000, null).digest();
        byte[] fam = new byte[16];
        fam[0] = 0x0f;
        byte[] img = new byte[16];
        img[0] = 0x1e;
        byte[] wrongLd = ld.clone();
        wrongLd[0] ^= 1;
        assertThat(f.fw.launchFinish("vm", new IdBlock(wrongLd, fam, img, 1, 4, GuestPolicy.DEFAULT).encode(), null))
                .isEqualTo(BAD_MEASUREMENT);
        GuestPolicy other = new GuestPolicy(GuestPolicy.DEFAULT.raw() | 1L << 19);
        assertThat(f.fw.launchFinish("vm", new IdBlock(ld, fam, img, 1, 4, other).encode(), null))
                .isEqualTo(POLICY_FAILURE);
        assertThat(f.fw.launchFinish("vm", new byte[5], null)).isEqualTo(INVALID_PARAM);
        assertThat(f.fw.launchFinish("vm", new IdBlock(ld, fam, img, 1, 4, GuestPolicy.DEFAULT).encode(), null))
                .isEqualTo(SUCCESS);
        GuestSession s = new GuestSession(secrets.page(), 0);
        AttestationReport r = f.report("vm", s, 0);
        assertThat(r.familyId()).isEqualTo(fam);
        assertThat(r.imageId()).isEqualTo(img);
        assertThat(r.guestSvn()).isEqualTo(4);
        assertThat(r.measurement()).isEqualTo(ld);
        assertThat(r.hostData()).isEqualTo(new byte[32]);
    }
}
