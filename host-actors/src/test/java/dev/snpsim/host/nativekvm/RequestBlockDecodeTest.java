package dev.snpsim.host.nativekvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner's KVM-side validation of the request block, on plain memory. */
class RequestBlockDecodeTest {
    private static final long SIZE = 0x10000;
    private static final long BLOCK = 0x1000;
    private Memory mem;

    @BeforeEach
    void wellFormedBlock() {
        mem = new Memory(SIZE);
        mem.clear();
        mem.setLong(BLOCK + 0x390, 0x8000_0012L); // SW_EXITCODE
        mem.setLong(BLOCK + 0x398, 0x3000);       // SW_EXITINFO1: request page
        mem.setLong(BLOCK + 0x3A0, 0x4000);       // SW_EXITINFO2: response page
        mem.setLong(BLOCK + 0x1F8, 0x5000);       // RAX: certificate buffer
        mem.setLong(BLOCK + 0x318, 4);            // RBX: pages
        int[] valid = GuestProgram.validBitmapDwords();
        for (int i = 0; i < 4; i++) {
            mem.setInt(BLOCK + 0x3F0 + 4L * i, valid[i]);
        }
    }

    @AfterEach
    void free() {
        mem.close();
    }

    @Test
    void decodesTheFields() {
        assertThat(VcpuRunner.decode(mem, SIZE, BLOCK, 3))
                .isEqualTo(new NativeGuestRequest(3, 0x8000_0012L, 0x3000, 0x4000, 0x5000, 4));
    }

    @Test
    void validBitmapHasTheFiveFieldBits() {
        // RAX 0x1f8 -> bit 63, RBX 0x318 -> bit 99, SW_EXITCODE/INFO1/INFO2 -> bits 114, 115, 116
        assertThat(GuestProgram.validBitmapDwords()).containsExactly(0, 0x8000_0000, 0, 0x001C_0008);
    }

    @Test
    void aMissingValidBitIsRefused() {
        mem.setInt(BLOCK + 0x3FC, 0x0018_0008); // SW_EXITCODE's bit 114 cleared
        assertThat(VcpuRunner.decode(mem, SIZE, BLOCK, 0)).isNull();
    }

    @Test
    void anUnalignedCertificateBufferIsRefused() {
        mem.setLong(BLOCK + 0x1F8, 0x5008);
        assertThat(VcpuRunner.decode(mem, SIZE, BLOCK, 0)).isNull();
    }

    @Test
    void aCertificateBufferPastGuestMemoryIsRefused() {
        mem.setLong(BLOCK + 0x318, 12); // 0x5000 + 12 pages > 0x10000
        assertThat(VcpuRunner.decode(mem, SIZE, BLOCK, 0)).isNull();
    }

    @Test
    void anUnknownExitCodeIsRefused() {
        mem.setLong(BLOCK + 0x390, 0x8000_0013L);
        assertThat(VcpuRunner.decode(mem, SIZE, BLOCK, 0)).isNull();
    }

    @Test
    void anUnalignedBlockIsRefused() {
        assertThat(VcpuRunner.decode(mem, SIZE, BLOCK + 8, 0)).isNull();
        assertThat(VcpuRunner.decode(mem, SIZE, SIZE, 0)).isNull();
    }

    @Test
    void aPlainGuestRequestNeedsNoCertificateBuffer() {
        mem.setLong(BLOCK + 0x390, 0x8000_0011L);
        mem.setLong(BLOCK + 0x1F8, 0x5008); // ignored
        assertThat(VcpuRunner.decode(mem, SIZE, BLOCK, 1))
                .isEqualTo(new NativeGuestRequest(1, 0x8000_0011L, 0x3000, 0x4000, 0, 0));
    }
}
