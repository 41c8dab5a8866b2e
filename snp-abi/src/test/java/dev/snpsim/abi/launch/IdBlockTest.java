package dev.snpsim.abi.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.LeBytes;
import dev.snpsim.abi.report.GuestPolicy;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IdBlockTest {
    private static IdBlock sample() {
        byte[] ld = new byte[48];
        Arrays.fill(ld, (byte) 0xab);
        byte[] fam = new byte[16];
        fam[0] = 1;
        byte[] img = new byte[16];
        img[15] = 2;
        return new IdBlock(ld, fam, img, 1, 7, GuestPolicy.DEFAULT);
    }

    @Test
    void encodesFieldsAtTheSpecOffsets() {
        byte[] b = sample().encode();
        assertThat(b).hasSize(0x60);
        assertThat(b[0x00]).isEqualTo((byte) 0xab);   // LD
        assertThat(b[0x30]).isEqualTo((byte) 1);      // FAMILY_ID
        assertThat(b[0x4f]).isEqualTo((byte) 2);      // IMAGE_ID, last byte
        assertThat(LeBytes.u32(b, 0x50)).isEqualTo(1); // VERSION
        assertThat(LeBytes.u32(b, 0x54)).isEqualTo(7); // GUEST_SVN
        assertThat(LeBytes.u64(b, 0x58)).isEqualTo(0x30000L); // POLICY
    }

    @Test
    void roundTrips() {
        assertThat(IdBlock.decode(sample().encode())).isEqualTo(sample());
    }

    @Test
    void rejectsAnUnknownVersion() {
        byte[] b = sample().encode();
        b[0x50] = 2;
        assertThatThrownBy(() -> IdBlock.decode(b)).hasMessage("id block version at 0x50 is 2 (expected: 1)");
    }

    @Test
    void rejectsAnInvalidPolicy() {
        byte[] b = sample().encode();
        b[0x5a] = 1; // keeps bit 16, clears bit 17, which must be 1
        assertThatThrownBy(() -> IdBlock.decode(b)).hasMessageStartingWith("id block policy at 0x58: policy 0x10000");
    }

    @Test
    void rejectsAWrongLength() {
        assertThatThrownBy(() -> IdBlock.decode(new byte[0x61])).hasMessage("id block is 97 bytes (expected: 0x60)");
    }
}
