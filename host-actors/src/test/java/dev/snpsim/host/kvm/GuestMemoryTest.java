package dev.snpsim.host.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Guest memory reads back what was written; pages that are all zero take no heap. */
class GuestMemoryTest {
    private static final int PAGE = GuestMemory.PAGE_SIZE;

    private final GuestMemory memory = new GuestMemory(64L * PAGE);

    private static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void zerosWrittenToFreshPagesReadBackWithoutTakingHeap() {
        memory.guestWrite(4L * PAGE, new byte[4 * PAGE]);      // a certificate buffer wiped
        assertThat(memory.residentPages()).isZero();
        assertThat(memory.guestRead(4L * PAGE, 4 * PAGE)).isEqualTo(new byte[4 * PAGE]);
    }

    @Test
    void dataSpanningPagesReadsBackAndHoldsOnlyThePagesItTouches() {
        byte[] data = filled(PAGE + 100, 0x5a);
        data[0] = 0;
        memory.guestWrite(2L * PAGE + 10, data);
        assertThat(memory.residentPages()).isEqualTo(2);
        assertThat(memory.guestRead(2L * PAGE + 10, data.length)).isEqualTo(data);
        assertThat(memory.guestRead(2L * PAGE, 10)).isEqualTo(new byte[10]);
    }

    @Test
    void aZeroWriteOverDataClearsExactlyItsRange() {
        memory.setShared(8L * PAGE, 2, true);
        memory.hostWrite(8L * PAGE, filled(2 * PAGE, 0x11));
        memory.hostWrite(8L * PAGE + 100, new byte[50]);        // part of a page: the rest stays
        byte[] expected = filled(2 * PAGE, 0x11);
        Arrays.fill(expected, 100, 150, (byte) 0);
        assertThat(memory.hostRead(8L * PAGE, 2 * PAGE)).isEqualTo(expected);
        assertThat(memory.residentPages()).isEqualTo(2);
        memory.guestWrite(8L * PAGE, new byte[PAGE]);           // one whole page wiped
        assertThat(memory.hostRead(8L * PAGE, PAGE)).isEqualTo(new byte[PAGE]);
        assertThat(memory.hostRead(9L * PAGE, PAGE)).isEqualTo(filled(PAGE, 0x11));
    }

    @Test
    void guestZeroClearsItsRangeAndReleasesWholePages() {
        memory.setShared(4L * PAGE, 4, true);
        memory.hostWrite(4L * PAGE, filled(4 * PAGE, 0x22));   // the host filled a certificate buffer
        assertThat(memory.residentPages()).isEqualTo(4);
        memory.guestZero(4L * PAGE + 100, 3 * PAGE);             // a partial page, two whole, a partial
        byte[] expected = filled(4 * PAGE, 0x22);
        Arrays.fill(expected, 100, 100 + 3 * PAGE, (byte) 0);
        assertThat(memory.guestRead(4L * PAGE, 4 * PAGE)).isEqualTo(expected);
        assertThat(memory.residentPages()).as("the two pages zeroed whole are gone").isEqualTo(2);
        memory.guestZero(4L * PAGE, 4 * PAGE);
        assertThat(memory.residentPages()).isZero();
        assertThat(memory.hostRead(4L * PAGE, 4 * PAGE)).isEqualTo(new byte[4 * PAGE]);
        memory.guestZero(40L * PAGE + 7, 10);                    // never written: nothing to do
        assertThat(memory.residentPages()).isZero();
        assertThatThrownBy(() -> memory.guestZero(63L * PAGE, 2 * PAGE))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessageContaining("outside guest memory");
    }

    @Test
    void theHostMayNotWriteAPrivatePageEvenWithZeros() {
        assertThatThrownBy(() -> memory.hostWrite(0, new byte[16]))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessage("host write of 16 bytes at 0x0 touches a private page (refused by the rmp)");
    }
}
