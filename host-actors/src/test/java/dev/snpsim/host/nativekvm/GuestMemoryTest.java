package dev.snpsim.host.nativekvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bounds of the guest-memory view, on a plain anonymous mapping (no KVM needed). */
class GuestMemoryTest {
    private HostMapping mapping;
    private GuestMemory mem;

    @BeforeEach
    void map() {
        mapping = HostMapping.anonymous(0x4000);
        mem = new GuestMemory(mapping, List.of(new GuestMemory.Window("certificate buffer", 0x2000, 0x1000)),
                "test view");
    }

    @AfterEach
    void unmap() {
        mapping.close();
    }

    @Test
    void writesInsideTheWindowAreReadBack() {
        mem.write(0x2000, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        mem.write(0x2FFC, new byte[] {9, 9, 9, 9});
        assertThat(mem.read(0x2000, 8)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(mem.readLong(0x2000)).isEqualTo(0x0807060504030201L);
        assertThat(mem.readInt(0x2FFC)).isEqualTo(0x09090909L);
        assertThat(mem.read(0x0, 4)).containsOnly(0);
    }

    @Test
    void writeStraddlingTheWindowEndIsRefused() {
        assertThatThrownBy(() -> mem.write(0x2FFC, new byte[8]))
                .isInstanceOf(KvmException.class)
                .hasMessage("write of 0x8 bytes at gpa 0x2ffc refused: outside the writable windows"
                        + " ([certificate buffer [0x2000, 0x3000)])");
        assertThat(mem.read(0x3000, 4)).containsOnly(0);
    }

    @Test
    void writeBeforeTheWindowIsRefused() {
        assertThatThrownBy(() -> mem.write(0x1FFF, new byte[1])).isInstanceOf(KvmException.class)
                .hasMessageStartingWith("write of 0x1 bytes at gpa 0x1fff refused");
    }

    @Test
    void readOutsideGuestMemoryIsRefused() {
        assertThatThrownBy(() -> mem.read(0x3FFC, 8)).isInstanceOf(KvmException.class)
                .hasMessage("read of 0x8 bytes at gpa 0x3ffc is outside guest memory (0x4000 bytes)");
        assertThatThrownBy(() -> mem.read(-1, 1)).isInstanceOf(KvmException.class);
        assertThatThrownBy(() -> mem.read(Long.MAX_VALUE, 1)).isInstanceOf(KvmException.class);
    }

    @Test
    void aWindowOutsideGuestMemoryIsRejectedAtOnce() {
        assertThatThrownBy(() -> new GuestMemory(mapping,
                List.of(new GuestMemory.Window("certificate buffer", 0x3000, 0x2000)), "bad view"))
                .isInstanceOf(KvmException.class)
                .hasMessage("certificate buffer [0x3000, 0x5000) of bad view lies outside guest memory"
                        + " (0x4000 bytes)");
    }

    @Test
    void aRevokedViewRefusesEverything() {
        mem.revoke();
        assertThatThrownBy(() -> mem.write(0x2000, new byte[1])).isInstanceOf(KvmException.class)
                .hasMessage("write of 0x1 bytes at gpa 0x2000 refused: the guest memory view of test view"
                        + " is no longer valid");
        assertThatThrownBy(() -> mem.read(0x2000, 1)).isInstanceOf(KvmException.class);
    }

    @Test
    void aViewOfUnmappedMemoryRefusesEverything() {
        mapping.close();
        assertThatThrownBy(() -> mem.read(0, 1)).isInstanceOf(KvmException.class)
                .hasMessageContaining("no longer valid");
    }

    @Test
    void guestMemorySizeMustBeWholePages() {
        assertThatThrownBy(() -> HostMapping.anonymous(0x1800)).isInstanceOf(KvmException.class)
                .hasMessage("guest memory size 0x1800 is not a positive multiple of 0x1000");
    }
}
