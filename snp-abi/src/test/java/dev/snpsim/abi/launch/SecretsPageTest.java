package dev.snpsim.abi.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;
import org.junit.jupiter.api.Test;

class SecretsPageTest {
    private static byte[][] keys() {
        byte[][] k = new byte[4][32];
        for (int n = 0; n < 4; n++) {
            for (int i = 0; i < 32; i++) {
                k[n][i] = (byte) (0x10 * (n + 1) + i);
            }
        }
        return k;
    }

    @Test
    void vmpcksSitAtTheSpecOffsets() {
        byte[] page = SecretsPage.atLaunch(SecretsPage.fmsOf(0x19, 0x01, 0x01), keys()).encode();
        assertThat(page).hasSize(4096);
        assertThat(LeBytes.u32(page, 0x000)).isEqualTo(3);
        assertThat(LeBytes.slice(page, 0x020, 32)).isEqualTo(keys()[0]);
        assertThat(LeBytes.slice(page, 0x040, 32)).isEqualTo(keys()[1]);
        assertThat(LeBytes.slice(page, 0x060, 32)).isEqualTo(keys()[2]);
        assertThat(LeBytes.slice(page, 0x080, 32)).isEqualTo(keys()[3]);
        assertThat(LeBytes.isZero(page, 0x0a0, 0x1000)).isTrue();
    }

    @Test
    void fmsUsesTheCpuidEaxEncoding() {
        // Milan 0x19/0x01/0x01 -> CPUID EAX 0x00a00f11; Genoa 0x19/0x11/0x01 -> 0x00a10f11
        assertThat(SecretsPage.fmsOf(0x19, 0x01, 0x01)).isEqualTo(0x00a00f11);
        assertThat(SecretsPage.fmsOf(0x19, 0x11, 0x01)).isEqualTo(0x00a10f11);
        assertThat(SecretsPage.fmsOf(0x1a, 0x02, 0x01)).isEqualTo(0x00b00f21);
    }

    @Test
    void roundTripsEveryField() {
        SecretsPage p = new SecretsPage(3, true, 0x00a00f11, filled(16, 1), keys()[0], keys()[1], keys()[2], keys()[3],
                filled(96, 2), filled(64, 3), 0x1000_0000L, 0x40_0000L, 0x1000_1000L, 1, 2, 0x1234);
        SecretsPage back = SecretsPage.decode(p.encode());
        assertThat(back).isEqualTo(p);
        assertThat(back.imiEn()).isTrue();
        assertThat(back.vmpck(2)).isEqualTo(keys()[2]);
        assertThat(back.svsmCaa()).isEqualTo(0x1000_1000L);
        assertThat(back.svsmGuestVmpl()).isEqualTo(2);
        assertThat(back.tscFactor()).isEqualTo(0x1234);
        assertThat(back.toString()).doesNotContain("1011121314");
    }

    @Test
    void rejectsAShortPage() {
        assertThatThrownBy(() -> SecretsPage.decode(new byte[100])).isInstanceOf(AbiException.class)
                .hasMessage("secrets page is 100 bytes (expected: 0x1000)");
    }

    @Test
    void rejectsReservedFlagBits() {
        byte[] page = SecretsPage.atLaunch(0, keys()).encode();
        page[0x004] = 0x02;
        assertThatThrownBy(() -> SecretsPage.decode(page)).hasMessageContaining("flags at 0x4 are 0x2");
    }

    @Test
    void rejectsBytesInTheReservedTail() {
        byte[] page = SecretsPage.atLaunch(0, keys()).encode();
        page[0x800] = 1;
        assertThatThrownBy(() -> SecretsPage.decode(page)).hasMessageContaining("[0x164:0x1000]")
                .hasMessageContaining("0x800 is 0x01");
    }

    @Test
    void rejectsAWrongSizedKeyAndABadIndex() {
        byte[][] k = keys();
        k[1] = new byte[31];
        assertThatThrownBy(() -> SecretsPage.atLaunch(0, k)).hasMessage("secrets page vmpck1 is 31 bytes (expected: 0x20)");
        assertThatThrownBy(() -> SecretsPage.atLaunch(0, keys()).vmpck(4)).hasMessage("vmpck index is 4 (expected: 0..3)");
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }
}
