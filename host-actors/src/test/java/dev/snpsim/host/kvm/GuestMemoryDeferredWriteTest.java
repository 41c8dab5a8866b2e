package dev.snpsim.host.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.psp.firmware.SealedResponse;
import dev.snpsim.sim.offload.Offload;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A sealed response the host writes before its bytes exist: every reader sees exactly the
 * memory an ordinary write would have left, and the bytes are computed only when something reads
 * or partly overwrites them.
 */
class GuestMemoryDeferredWriteTest {
    private static final int PAGE = GuestMemory.PAGE_SIZE;
    private static final long SHARED = 8L * PAGE;   // pages 8..11 shared
    private static final long PRIVATE = 2L * PAGE;

    private final GuestMemory memory = new GuestMemory(16L * PAGE);
    private final GuestMemory plain = new GuestMemory(16L * PAGE);   // the same writes, the bytes at once
    private final AtomicInteger computed = new AtomicInteger();
    private final byte[] bytes = pageOf(0x3c);

    GuestMemoryDeferredWriteTest() {
        memory.setShared(SHARED, 4, true);
        plain.setShared(SHARED, 4, true);
    }

    private static byte[] pageOf(int seed) {
        byte[] b = new byte[PAGE];
        for (int i = 0; i < PAGE; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }

    private SealedResponse sealed(byte[] page) {
        Offload.Task<byte[]> task = Offload.inline().submit(() -> {
            computed.incrementAndGet();
            return page;
        }, false);
        return SealedResponse.of(GuestMessageHeader.of(MessageType.REPORT_RSP, 1, 2, 0), new byte[32], task);
    }

    private void writeBoth(long gpa, byte[] page) {
        memory.hostWrite(gpa, sealed(page));
        plain.hostWrite(gpa, page);
    }

    @Test
    void aReadOfThePageSeesTheBytesAndOnlyThenAreTheyComputed() {
        SealedResponse s = sealed(bytes);
        memory.hostWrite(SHARED, s);
        assertThat(computed).hasValue(0);
        assertThat(memory.untouched(SHARED)).isSameAs(s);
        assertThat(memory.untouched(SHARED + PAGE)).isNull();
        assertThat(memory.guestRead(SHARED + 100, 16)).isEqualTo(Arrays.copyOfRange(bytes, 100, 116));
        assertThat(computed).hasValue(1);
        assertThat(memory.untouched(SHARED)).isNull();   // read: the page is ordinary memory now
        assertThat(memory.guestRead(SHARED, PAGE)).isEqualTo(bytes);
        assertThat(computed).hasValue(1);
    }

    @Test
    void readsAndWritesElsewhereLeaveThePagePending() {
        writeBoth(SHARED, bytes);
        memory.guestWrite(SHARED + PAGE, new byte[] {1, 2, 3});
        memory.guestRead(SHARED - 4, 4);                    // ends right where the page starts
        memory.guestRead(SHARED + PAGE, 3);                 // starts right where it ends
        memory.guestWriteU32(SHARED + 2L * PAGE, 7);
        assertThat(computed).hasValue(0);
        assertThat(memory.untouched(SHARED)).isNotNull();
    }

    @Test
    void overwritingTheWholePageDropsTheBytesUncomputed() {
        writeBoth(SHARED, bytes);
        memory.guestZero(SHARED, PAGE);
        plain.guestZero(SHARED, PAGE);
        assertThat(computed).hasValue(0);
        assertThat(memory.untouched(SHARED)).isNull();
        assertThat(memory.guestRead(SHARED, PAGE)).isEqualTo(new byte[PAGE]).isEqualTo(plain.guestRead(SHARED, PAGE));
        assertThat(memory.residentPages()).as("the bytes never landed, so no page holds them").isZero();
        assertThat(plain.residentPages()).as("a page written keeps its heap, zeroed").isEqualTo(1);
    }

    @Test
    void aPartialWriteLandsTheBytesFirstThenWritesOverThem() {
        writeBoth(SHARED, bytes);
        memory.guestWrite(SHARED + 4000, new byte[200]);   // the page's tail and the next page's head
        plain.guestWrite(SHARED + 4000, new byte[200]);
        memory.hostWrite(SHARED + 8, new byte[] {9, 9});
        plain.hostWrite(SHARED + 8, new byte[] {9, 9});
        assertThat(computed).hasValue(1);
        assertThat(memory.guestRead(SHARED, 2 * PAGE)).isEqualTo(plain.guestRead(SHARED, 2 * PAGE));
    }

    @Test
    void everyKindOfAccessSeesWhatAnOrdinaryWriteWouldHaveLeft() {
        writeBoth(SHARED, bytes);
        assertThat(memory.hostRead(SHARED + 10, 20)).isEqualTo(plain.hostRead(SHARED + 10, 20));
        writeBoth(SHARED, pageOf(0x11));
        assertThat(memory.guestReadU32(SHARED + 40)).isEqualTo(plain.guestReadU32(SHARED + 40));
        writeBoth(SHARED, pageOf(0x22));
        byte[] into = new byte[50];
        byte[] expected = new byte[50];
        memory.guestRead(SHARED + PAGE - 25, into, 0, 50);
        plain.guestRead(SHARED + PAGE - 25, expected, 0, 50);
        assertThat(into).isEqualTo(expected);
        writeBoth(SHARED, pageOf(0x33));
        memory.guestWriteU32(SHARED + PAGE - 2, 0x01020304);     // straddles the page's end
        plain.guestWriteU32(SHARED + PAGE - 2, 0x01020304);
        writeBoth(SHARED + PAGE, pageOf(0x44));
        memory.firmwareWrite(SHARED + PAGE + 5, new byte[] {5});
        plain.firmwareWrite(SHARED + PAGE + 5, new byte[] {5});
        writeBoth(SHARED + 2L * PAGE, pageOf(0x55));
        assertThat(memory.residentPages()).isEqualTo(plain.residentPages());
        assertThat(memory.guestRead(SHARED, 4 * PAGE)).isEqualTo(plain.guestRead(SHARED, 4 * PAGE));
    }

    @Test
    void aSecondPendingPageElsewhereLandsTheFirstAndTheSamePageIsReplacedUncomputed() {
        memory.hostWrite(SHARED, sealed(bytes));
        memory.hostWrite(SHARED, sealed(pageOf(0x66)));   // replaces the first whole: never computed
        assertThat(computed).hasValue(0);
        memory.hostWrite(SHARED + PAGE, sealed(pageOf(0x77)));   // one pending page at a time
        assertThat(computed).hasValue(1);
        assertThat(memory.untouched(SHARED)).isNull();
        assertThat(memory.untouched(SHARED + PAGE)).isNotNull();
        assertThat(memory.guestRead(SHARED, PAGE)).isEqualTo(pageOf(0x66));
        assertThat(memory.guestRead(SHARED + PAGE, PAGE)).isEqualTo(pageOf(0x77));
    }

    @Test
    void aPrivatePageIsRefusedAndNothingIsPending() {
        assertThatThrownBy(() -> memory.hostWrite(PRIVATE, sealed(bytes)))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessageContaining("touches a private page");
        assertThatThrownBy(() -> memory.hostWrite(15L * PAGE + 1, sealed(bytes)))
                .isInstanceOf(MemoryAccessException.class)
                .hasMessageContaining("outside guest memory");
        assertThat(memory.untouched(PRIVATE)).isNull();
        assertThat(memory.guestRead(PRIVATE, PAGE)).isEqualTo(new byte[PAGE]);
        assertThat(computed).hasValue(0);
    }
}
