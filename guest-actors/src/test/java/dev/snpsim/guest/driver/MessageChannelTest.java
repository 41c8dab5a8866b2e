package dev.snpsim.guest.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.launch.SecretsPage;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.abi.msg.ResponseStatus;
import dev.snpsim.host.kvm.GuestMemory;
import dev.snpsim.psp.firmware.SealedResponse;
import dev.snpsim.sim.offload.Offload;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The channel's key, counter and wipe, on a secrets page laid out by snp-abi's {@link SecretsPage}. */
class MessageChannelTest {
    private static final long SECRETS = 0x3000;

    private static byte[][] keys() {
        byte[][] k = new byte[4][32];
        for (int i = 0; i < 4; i++) {
            Arrays.fill(k[i], (byte) (0x11 * (i + 1)));
        }
        return k;
    }

    private static GuestMemory launched() {
        GuestMemory m = new GuestMemory(1 << 16);
        m.firmwareWrite(SECRETS, SecretsPage.atLaunch(0xa00f11, keys()).encode());
        return m;
    }

    @Test
    void readsEachVmpckWhereTheFirmwarePutsIt() {
        GuestMemory m = launched();
        for (int n = 0; n < 4; n++) {
            MessageChannel ch = new MessageChannel(m, SECRETS, n, new SeqnoGuard());
            byte[] page = ch.seal(MessageType.REPORT_REQ, new byte[0x60]);
            GuestMessages.Opened o = GuestMessages.open(keys()[n], page, 1);
            assertThat(o.header().msgVmpck()).isEqualTo(n);
        }
    }

    @Test
    void counterLivesInTheOsAreaAndAdvancesByTwo() {
        GuestMemory m = launched();
        SeqnoGuard guard = new SeqnoGuard();
        MessageChannel ch = new MessageChannel(m, SECRETS, 2, guard);
        assertThat(ch.nextSeqno()).isEqualTo(1);
        ch.seal(MessageType.KEY_REQ, new byte[0x20]);
        ch.consume();
        assertThat(ch.counter()).isEqualTo(2);
        assertThat(m.guestRead(SECRETS + 0xA0 + 8, 4)).containsExactly(2, 0, 0, 0);
        assertThat(new MessageChannel(m, SECRETS, 2, new SeqnoGuard()).nextSeqno()).as("survives a driver reload")
                .isEqualTo(3);
        assertThat(guard.highest(2)).isEqualTo(2);
    }

    @Test
    void sealingTheSameSeqnoTwiceFailsLoudly() {
        GuestMemory m = launched();
        MessageChannel ch = new MessageChannel(m, SECRETS, 0, new SeqnoGuard());
        ch.seal(MessageType.REPORT_REQ, new byte[0x60]);
        assertThatThrownBy(() -> ch.seal(MessageType.REPORT_REQ, new byte[0x60]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("vmpck0 seqno 1 would reuse an aes-gcm iv (highest already used: 1)");
    }

    @Test
    void aPendingResponseIsTakenUnreadOnlyWhenItsClearHeaderAndKeyDecideThatItOpens() {
        GuestMemory m = launched();
        MessageChannel ch = new MessageChannel(m, SECRETS, 0, new SeqnoGuard());
        ch.seal(MessageType.REPORT_REQ, new byte[0x60]);   // seqno 1: the response carries 2
        byte[] report = new byte[0x4A0];
        Arrays.fill(report, (byte) 0x42);
        byte[] payload = ReportResponse.success(report).encode();
        GuestMessageHeader h = GuestMessageHeader.of(MessageType.REPORT_RSP, 1, 2, 0);
        AtomicInteger computed = new AtomicInteger();
        Supplier<byte[]> later = ch.openReportLater(pending(h, keys()[0], payload, computed, false), 1);
        assertThat(later).isNotNull();
        assertThat(computed).hasValue(0);
        assertThat(later.get()).isEqualTo(report);
        assertThat(later.get()).isSameAs(later.get());
        assertThat(computed).hasValue(1);
        // undecidable without the bytes: each of these is left to open(), which names the fault
        assertThat(ch.openReportLater(pending(h, keys()[1], payload, computed, false), 1)).as("other key").isNull();
        assertThat(ch.openReportLater(pending(h, keys()[0], payload, computed, false), 3)).as("other seqno").isNull();
        assertThat(ch.openReportLater(pending(GuestMessageHeader.of(MessageType.KEY_RSP, 1, 2, 0), keys()[0], payload,
                computed, false), 1)).as("other type").isNull();
        assertThat(ch.openReportLater(pending(GuestMessageHeader.of(MessageType.REPORT_RSP, 2, 2, 0), keys()[0],
                payload, computed, false), 1)).as("other version").isNull();
        assertThat(ch.openReportLater(pending(GuestMessageHeader.of(MessageType.REPORT_RSP, 1, 2, 1), keys()[0],
                payload, computed, false), 1)).as("other vmpck").isNull();
        assertThat(computed).hasValue(1);
        ch.wipe();
        assertThat(ch.openReportLater(pending(h, keys()[0], payload, computed, false), 1)).as("wiped").isNull();
    }

    @Test
    void aPendingResponseThatDoesNotOpenAsDecidedFailsLoudly() {
        GuestMemory m = launched();
        MessageChannel ch = new MessageChannel(m, SECRETS, 0, new SeqnoGuard());
        ch.seal(MessageType.REPORT_REQ, new byte[0x60]);
        GuestMessageHeader h = GuestMessageHeader.of(MessageType.REPORT_RSP, 1, 2, 0);
        byte[] payload = ReportResponse.success(new byte[0x4A0]).encode();
        Supplier<byte[]> broken = ch.openReportLater(pending(h, keys()[0], payload, new AtomicInteger(), true), 1);
        assertThatThrownBy(broken::get).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("response to seqno 1 did not open as its untouched header and key promised")
                .hasMessageContaining("authentication tag mismatch");
        Supplier<byte[]> refused = ch.openReportLater(pending(h, keys()[0],
                ReportResponse.failure(ResponseStatus.INVALID_PARAMETERS).encode(), new AtomicInteger(), false), 1);
        assertThatThrownBy(refused::get).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has status 0x16, not the report it was taken for");
    }

    /** A response page still to be computed: sealed with {@code key}, one ciphertext byte flipped if {@code broken}. */
    private static SealedResponse pending(GuestMessageHeader h, byte[] key, byte[] payload, AtomicInteger computed,
                                          boolean broken) {
        Offload.Task<byte[]> page = Offload.inline().submit(() -> {
            computed.incrementAndGet();
            byte[] p = GuestMessages.seal(key, h, payload);
            if (broken) {
                p[0x61] ^= 1;
            }
            return p;
        }, false);
        return SealedResponse.of(h.withMsgSize(payload.length), key, page);
    }

    @Test
    void openChecksTypeAndSeqno() {
        GuestMemory m = launched();
        MessageChannel ch = new MessageChannel(m, SECRETS, 0, new SeqnoGuard());
        ch.seal(MessageType.REPORT_REQ, new byte[0x60]);
        byte[] wrongType = GuestMessages.seal(keys()[0], GuestMessageHeader.of(MessageType.KEY_RSP, 1, 2, 0), new byte[0x40]);
        assertThatThrownBy(() -> ch.open(wrongType, MessageType.REPORT_REQ, 1)).isInstanceOf(AbiException.class)
                .hasMessage("response msg_type at 0x34 is key_rsp (expected: report_rsp)");
        byte[] ok = GuestMessages.seal(keys()[0], GuestMessageHeader.of(MessageType.REPORT_RSP, 1, 2, 0), new byte[0x40]);
        assertThat(ch.open(ok, MessageType.REPORT_REQ, 1).payload()).hasSize(0x40);
        assertThatThrownBy(() -> ch.open(ok, MessageType.REPORT_REQ, 3)).hasMessageContaining("(expected: 4)");
    }

    @Test
    void wipeZeroesOnlyThisKey() {
        GuestMemory m = launched();
        MessageChannel ch = new MessageChannel(m, SECRETS, 1, new SeqnoGuard());
        ch.wipe();
        assertThat(ch.wiped()).isTrue();
        assertThat(SecretsPage.decode(m.guestRead(SECRETS, 4096)).vmpck(1)).containsOnly(0);
        assertThat(SecretsPage.decode(m.guestRead(SECRETS, 4096)).vmpck(0)).isEqualTo(keys()[0]);
        assertThatThrownBy(() -> ch.seal(MessageType.REPORT_REQ, new byte[0x60])).hasMessage("vmpck1 is wiped");
    }

    /** The channel's key buffer, which must hold zeros whenever no call is running. */
    private static byte[] keyBuffer(MessageChannel ch) throws ReflectiveOperationException {
        java.lang.reflect.Field f = MessageChannel.class.getDeclaredField("key");
        f.setAccessible(true);
        return (byte[]) f.get(ch);
    }

    @Test
    void theChannelHoldsNoKeyBetweenCallsEvenAfterAFailure() throws ReflectiveOperationException {
        GuestMemory m = launched();
        MessageChannel ch = new MessageChannel(m, SECRETS, 3, new SeqnoGuard());
        byte[] key = keyBuffer(ch);
        assertThat(ch.wiped()).isFalse();
        assertThat(key).containsOnly(0);
        byte[] page = ch.seal(MessageType.REPORT_REQ, new byte[0x60]);
        assertThat(key).containsOnly(0);
        assertThat(GuestMessages.open(keys()[3], page, 1).header().seqno()).isEqualTo(1);
        assertThatThrownBy(() -> ch.seal(MessageType.REPORT_REQ, new byte[0x60])).as("seqno 1 again")
                .isInstanceOf(IllegalStateException.class);
        assertThat(key).containsOnly(0);
        byte[] rsp = GuestMessages.seal(keys()[3], GuestMessageHeader.of(MessageType.REPORT_RSP, 1, 2, 3), new byte[0x40]);
        assertThat(ch.open(rsp, MessageType.REPORT_REQ, 1).payload()).hasSize(0x40);
        assertThat(key).containsOnly(0);
        assertThatThrownBy(() -> ch.open(rsp, MessageType.KEY_REQ, 1)).isInstanceOf(AbiException.class);
        assertThat(key).containsOnly(0);
    }

    @Test
    void anExhaustedCounterIsRefusedBeforeAnythingIsSealed() {
        GuestMemory m = launched();
        m.guestWrite(SECRETS + 0xA0, new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        MessageChannel ch = new MessageChannel(m, SECRETS, 0, new SeqnoGuard());
        assertThat(ch.counter()).isEqualTo(0xFFFF_FFFEL);
        assertThat(ch.nextSeqno()).isZero();
        assertThatThrownBy(() -> ch.seal(MessageType.REPORT_REQ, new byte[0x60]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("vmpck0 sequence counter exhausted at 4294967294");
    }

    @Test
    void consumeWritesTheCounterAsALittleEndianU32() {
        GuestMemory m = launched();
        m.guestWrite(SECRETS + 0xA0 + 4, new byte[] {(byte) 0xfd, (byte) 0xff, 0x01, 0});
        MessageChannel ch = new MessageChannel(m, SECRETS, 1, new SeqnoGuard());
        assertThat(ch.counter()).isEqualTo(0x1fffdL);
        ch.consume();
        assertThat(m.guestRead(SECRETS + 0xA0 + 4, 4)).containsExactly(0xff, 0xff, 0x01, 0);
        assertThat(m.guestRead(SECRETS + 0xA0, 4)).as("vmpck0's counter untouched").containsExactly(0, 0, 0, 0);
        assertThat(m.guestRead(SECRETS + 0xA0 + 8, 4)).as("vmpck2's counter untouched").containsExactly(0, 0, 0, 0);
        assertThat(ch.counter()).isEqualTo(0x1ffffL);
    }
}
