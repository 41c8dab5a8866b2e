package dev.snpsim.host.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
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
    void guestZeroClearsItsRangeAndKeepsFilledPagesForTheNextWrite() {
        memory.setShared(4L * PAGE, 4, true);
        memory.hostWrite(4L * PAGE, filled(4 * PAGE, 0x22));   // the host filled a certificate buffer
        assertThat(memory.residentPages()).isEqualTo(4);
        memory.guestZero(4L * PAGE + 100, 3 * PAGE);             // a partial page, two whole, a partial
        byte[] expected = filled(4 * PAGE, 0x22);
        Arrays.fill(expected, 100, 100 + 3 * PAGE, (byte) 0);
        assertThat(memory.guestRead(4L * PAGE, 4 * PAGE)).isEqualTo(expected);
        memory.guestZero(4L * PAGE, 4 * PAGE);
        assertThat(memory.hostRead(4L * PAGE, 4 * PAGE)).isEqualTo(new byte[4 * PAGE]);
        assertThat(memory.residentPages()).as("zeroed in place, ready for the host's next fill").isEqualTo(4);
        memory.hostWrite(4L * PAGE + 10, filled(PAGE, 0x33));   // the next fill lands in the same pages
        expected = new byte[4 * PAGE];
        Arrays.fill(expected, 10, 10 + PAGE, (byte) 0x33);
        assertThat(memory.guestRead(4L * PAGE, 4 * PAGE)).isEqualTo(expected);
        assertThat(memory.residentPages()).isEqualTo(4);
        memory.guestZero(40L * PAGE + 7, 10);                    // never written: nothing to do
        memory.guestZero(41L * PAGE, 2 * PAGE);
        assertThat(memory.residentPages()).as("zeroing pages never written takes no heap").isEqualTo(4);
        assertThatThrownBy(() -> memory.guestZero(63L * PAGE, 2 * PAGE))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessageContaining("outside guest memory");
    }

    /** A page zeroed whole is only marked so; every way of reading or partly writing it sees zeros around the new bytes. */
    @Test
    void aPageZeroedWholeReadsAsZerosAroundEachLaterWrite() {
        memory.setShared(12L * PAGE, 3, true);
        memory.hostWrite(12L * PAGE, filled(3 * PAGE, 0x44));
        memory.guestZero(12L * PAGE, 3 * PAGE);
        assertThat(memory.guestReadU32(12L * PAGE + 8)).isZero();
        assertThat(memory.guestReadU32(13L * PAGE - 2)).as("across two zeroed pages").isZero();
        memory.guestWriteU32(12L * PAGE + 8, 0x01020304);
        byte[] expected = new byte[3 * PAGE];
        expected[8] = 4;
        expected[9] = 3;
        expected[10] = 2;
        expected[11] = 1;
        assertThat(memory.hostRead(12L * PAGE, 3 * PAGE)).isEqualTo(expected);
        memory.hostWrite(13L * PAGE + 100, new byte[200]);        // zeros onto a zeroed page: still zeros
        memory.guestZero(13L * PAGE + 5, 10);                     // part of a zeroed page: nothing to do
        memory.hostWrite(13L * PAGE + 4000, ByteBuffer.wrap(filled(200, 0x55)));   // into the third page too
        Arrays.fill(expected, PAGE + 4000, PAGE + 4200, (byte) 0x55);
        assertThat(memory.hostRead(12L * PAGE, 3 * PAGE)).isEqualTo(expected);
        byte[] into = filled(3 * PAGE, 0x77);
        memory.guestRead(12L * PAGE, into, 0, 3 * PAGE);
        assertThat(into).as("a read into a dirty buffer writes the zeros too").isEqualTo(expected);
        assertThat(memory.residentPages()).isEqualTo(3);
    }

    @Test
    void theHostMayNotWriteAPrivatePageEvenWithZeros() {
        assertThatThrownBy(() -> memory.hostWrite(0, new byte[16]))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessage("host write of 16 bytes at 0x0 touches a private page (refused by the rmp)");
    }

    @Test
    void aReadIntoABufferCopiesTheRangeAndZerosWhereNothingWasWritten() {
        byte[] data = filled(PAGE + 100, 0x5a);
        memory.guestWrite(3L * PAGE + 10, data);                 // pages 3 and 4; page 5 never written
        byte[] into = filled(2 * PAGE + 8, 0x77);                // a dirty buffer the guest keeps
        memory.guestRead(3L * PAGE, into, 4, 2 * PAGE);
        byte[] expected = filled(2 * PAGE + 8, 0x77);
        Arrays.fill(expected, 4, 4 + 2 * PAGE, (byte) 0);
        System.arraycopy(data, 0, expected, 4 + 10, data.length);
        assertThat(into).isEqualTo(expected);
        memory.guestRead(5L * PAGE, into, 0, 16);                 // a page never written reads as zeros
        assertThat(Arrays.copyOf(into, 16)).isEqualTo(new byte[16]);
        assertThat(into[16]).as("the rest of the buffer as the first read left it").isEqualTo((byte) 0x5a);
        assertThat(memory.residentPages()).isEqualTo(2);
    }

    @Test
    void aReadIntoABufferChecksTheRangeAndTheBuffer() {
        byte[] into = new byte[8];
        assertThatThrownBy(() -> memory.guestRead(64L * PAGE - 4, into, 0, 8))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessageContaining("outside guest memory");
        assertThatThrownBy(() -> memory.guestRead(0, into, 4, 8))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("guest read of 8 bytes into [4:12] of a 8-byte buffer");
        assertThatThrownBy(() -> memory.guestRead(0, into, -1, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void u32sAreLittleEndianInsideAPageAndAcrossTwo() {
        assertThat(memory.guestReadU32(7L * PAGE + 0xa0)).as("never written").isZero();
        memory.guestWriteU32(7L * PAGE + 0xa0, 0);
        assertThat(memory.residentPages()).as("a zero to a page never written takes no heap").isZero();
        memory.guestWriteU32(7L * PAGE + 0xa0, 0x8765_4321);
        assertThat(memory.guestRead(7L * PAGE + 0xa0, 4)).containsExactly(0x21, 0x43, 0x65, 0x87);
        assertThat(memory.guestReadU32(7L * PAGE + 0xa0)).isEqualTo(0x8765_4321);
        memory.guestWriteU32(7L * PAGE + 0xa0, 0xffff_fffe);     // the page exists now: written in place
        assertThat(memory.guestRead(7L * PAGE + 0xa0, 4)).containsExactly(0xfe, 0xff, 0xff, 0xff);
        assertThat(memory.guestReadU32(7L * PAGE + 0xa0)).isEqualTo(0xffff_fffe);
        memory.guestWriteU32(9L * PAGE - 2, 0x0403_0201);         // straddles pages 8 and 9
        assertThat(memory.guestRead(9L * PAGE - 2, 4)).containsExactly(1, 2, 3, 4);
        assertThat(memory.guestReadU32(9L * PAGE - 2)).isEqualTo(0x0403_0201);
        assertThatThrownBy(() -> memory.guestReadU32(64L * PAGE - 2))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessageContaining("guest read of 4 bytes at 0x3fffe is outside guest memory");
        assertThatThrownBy(() -> memory.guestWriteU32(-1, 1))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessageContaining("guest write of 4 bytes");
    }

    @Test
    void aHostWriteFromABufferWritesItsRemainingBytesAndLeavesItsPosition() {
        memory.setShared(4L * PAGE, 4, true);
        byte[] blob = filled(PAGE + 300, 0x33);
        blob[0] = 0;
        ByteBuffer view = ByteBuffer.wrap(blob).asReadOnlyBuffer();
        memory.hostWrite(4L * PAGE, view);
        assertThat(view.position()).isZero();
        assertThat(memory.hostRead(4L * PAGE, blob.length)).isEqualTo(blob);
        assertThat(memory.residentPages()).isEqualTo(2);
        memory.hostWrite(6L * PAGE, ByteBuffer.wrap(new byte[PAGE + 10]).asReadOnlyBuffer());
        assertThat(memory.residentPages()).as("zeros to pages never written take no heap").isEqualTo(2);
        ByteBuffer tail = ByteBuffer.wrap(filled(64, 0x44), 8, 16);   // an array-backed buffer, part of it
        memory.hostWrite(5L * PAGE + 1000, tail);
        assertThat(tail.position()).isEqualTo(8);
        assertThat(memory.hostRead(5L * PAGE + 1000, 17)).isEqualTo(Arrays.copyOf(filled(16, 0x44), 17));
    }

    @Test
    void aHostWriteFromABufferToAPrivatePageIsRefused() {
        assertThatThrownBy(() -> memory.hostWrite(0, ByteBuffer.wrap(new byte[16]).asReadOnlyBuffer()))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessage("host write of 16 bytes at 0x0 touches a private page (refused by the rmp)");
        assertThatThrownBy(() -> memory.hostWrite(64L * PAGE - 8, ByteBuffer.wrap(new byte[16])))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessageContaining("outside guest memory");
        assertThat(memory.residentPages()).isZero();
    }
}
