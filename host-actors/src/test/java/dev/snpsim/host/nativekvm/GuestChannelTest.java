package dev.snpsim.host.nativekvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.host.nativekvm.GuestChannel.Kind;
import dev.snpsim.host.nativekvm.GuestChannel.Turn;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The driver rules the bridge plays: seqno pairs, one request at a time, BUSY resend, plain resend, wipe. */
class GuestChannelTest {
    private static final byte[] KEY = new byte[32];
    private static final byte[] PAYLOAD = new byte[96];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    /** What the firmware answers to a request sealed with {@code seqno}. */
    private static byte[] response(long seqno) {
        return GuestMessages.seal(KEY, GuestMessageHeader.of(MessageType.REPORT_RSP, 1, seqno + 1, 0), new byte[0x20]);
    }

    @Test
    void requestsCarryOddSeqnosAndTheRequestPageOpensWithTheKey() throws Exception {
        GuestChannel ch = new GuestChannel(KEY);
        for (long expected = 1; expected <= 7; expected += 2) {
            Turn t = ch.begin(0, expected, PAYLOAD);
            assertThat(t.kind()).isEqualTo(Kind.NEW);
            assertThat(t.seqno()).isEqualTo(expected);
            GuestMessages.Opened req = GuestMessages.open(KEY, t.page(), expected);
            assertThat(req.header().msgType()).isEqualTo(MessageType.REPORT_REQ);
            assertThat(req.payload()).isEqualTo(PAYLOAD);
            ch.complete(0, response(expected));
            assertThat(ch.counter()).isEqualTo(expected + 1);
        }
    }

    @Test
    void aBusyRetryResendsTheSameSealedPage() throws Exception {
        GuestChannel ch = new GuestChannel(KEY);
        Turn first = ch.begin(2, 5, PAYLOAD);
        Turn retry = ch.begin(2, 5, PAYLOAD);
        assertThat(retry.kind()).isEqualTo(Kind.RETRY);
        assertThat(retry.seqno()).isEqualTo(first.seqno());
        assertThat(retry.page()).isEqualTo(first.page());
    }

    @Test
    void anotherVcpuWaitsUntilThePendingMessageIsConsumed() throws Exception {
        GuestChannel ch = new GuestChannel(KEY);
        ch.begin(0, 1, PAYLOAD);
        CompletableFuture<Turn> other = CompletableFuture.supplyAsync(() -> {
            try {
                return ch.begin(1, 1, PAYLOAD);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> other.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        ch.complete(0, response(1));
        Turn t = other.get(10, TimeUnit.SECONDS);
        assertThat(t.kind()).isEqualTo(Kind.NEW);
        assertThat(t.seqno()).isEqualTo(3);
    }

    @Test
    void afterInvalidLenRetriesAreTheSameMessageSentPlainAndTheSeqnoIsConsumed() throws Exception {
        GuestChannel ch = new GuestChannel(KEY);
        Turn t = ch.begin(0, 1, PAYLOAD);
        ch.toPlain(0, 3);
        Turn busyRetry = ch.begin(0, 1, PAYLOAD);
        assertThat(busyRetry.kind()).isEqualTo(Kind.RETRY_PLAIN);
        assertThat(busyRetry.page()).isEqualTo(t.page());
        assertThat(busyRetry.pagesNeeded()).isEqualTo(3);
        ch.consumedByPlainResend(0);
        assertThat(ch.counter()).isEqualTo(2);
        assertThat(ch.begin(0, 2, PAYLOAD).seqno()).isEqualTo(3);
    }

    @Test
    void aResponseThatDoesNotOpenWipesTheKeyForGood() throws Exception {
        GuestChannel ch = new GuestChannel(KEY);
        ch.begin(0, 1, PAYLOAD);
        assertThatThrownBy(() -> ch.complete(0, response(2))).isInstanceOf(AbiException.class)
                .hasMessageContaining("msg_seqno at 0x20 is 3 (expected: 2)");
        assertThat(ch.wiped()).isTrue();
        assertThat(ch.begin(1, 1, PAYLOAD).kind()).isEqualTo(Kind.WIPED);
    }

    @Test
    void aGuestThatMovesOnFromAnUnconsumedMessageLosesTheKeyRatherThanReuseTheSeqno() throws Exception {
        GuestChannel ch = new GuestChannel(KEY);
        ch.begin(0, 1, PAYLOAD);
        assertThat(ch.begin(0, 2, PAYLOAD).kind()).isEqualTo(Kind.WIPED);
        assertThat(ch.wiped()).isTrue();
    }

    @Test
    void closeReleasesWaiters() throws Exception {
        GuestChannel ch = new GuestChannel(KEY);
        ch.begin(0, 1, PAYLOAD);
        CompletableFuture<Turn> other = CompletableFuture.supplyAsync(() -> {
            try {
                return ch.begin(1, 1, PAYLOAD);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        ch.close();
        assertThat(other.get(10, TimeUnit.SECONDS).kind()).isEqualTo(Kind.CLOSED);
    }

    @Test
    void aKeyOfTheWrongSizeIsRefused() {
        assertThatThrownBy(() -> new GuestChannel(new byte[16])).isInstanceOf(KvmException.class)
                .hasMessage("vmpck0 is 16 bytes (expected: 32)");
    }
}
