package dev.snpsim.host.kds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.Product;
import org.junit.jupiter.api.Test;

class KdsRateLimitTest {
    private static final long S = 1_000_000_000L;
    private static final byte[] CHIP = new byte[64];
    private static final KdsKey MILAN_TCB1 = KdsKey.of(Product.MILAN, CHIP, 0x0300_0000_0000_0001L);

    @Test
    void oneRequestPerTenSecondsPerChipAndTcb() {
        KdsRateLimit l = new KdsRateLimit();
        assertThat(l.tryAcquire(MILAN_TCB1, 3 * S)).isTrue();
        assertThat(l.tryAcquire(MILAN_TCB1, 3 * S)).isFalse();
        assertThat(l.retryAfterNanos(MILAN_TCB1, 4 * S)).isEqualTo(9 * S);
        assertThat(l.tryAcquire(MILAN_TCB1, 13 * S - 1)).isFalse();
        assertThat(l.tryAcquire(MILAN_TCB1, 13 * S)).isTrue();
    }

    @Test
    void refusedRequestsDoNotExtendTheWindow() {
        KdsRateLimit l = new KdsRateLimit(10 * S);
        l.tryAcquire(MILAN_TCB1, 0);
        for (long t = S; t < 10 * S; t += S) {
            assertThat(l.tryAcquire(MILAN_TCB1, t)).isFalse();
        }
        assertThat(l.tryAcquire(MILAN_TCB1, 10 * S)).isTrue();
    }

    @Test
    void anotherTcbOrChipOrProductIsCountedApart() {
        KdsRateLimit l = new KdsRateLimit();
        byte[] otherChip = new byte[64];
        otherChip[0] = 1;
        assertThat(l.tryAcquire(MILAN_TCB1, 0)).isTrue();
        assertThat(l.tryAcquire(KdsKey.of(Product.MILAN, CHIP, 0x0300_0000_0000_0002L), 0)).isTrue();
        assertThat(l.tryAcquire(KdsKey.of(Product.MILAN, otherChip, 0x0300_0000_0000_0001L), 0)).isTrue();
        assertThat(l.tryAcquire(KdsKey.of(Product.GENOA, CHIP, 0x0300_0000_0000_0001L), 0)).isTrue();
        assertThat(l.tryAcquire(KdsKey.of(Product.MILAN, CHIP.clone(), 0x0300_0000_0000_0001L), 0)).isFalse();
    }

    @Test
    void manyKeysArePrunedWithoutForgettingLiveWindows() {
        KdsRateLimit l = new KdsRateLimit(10 * S);
        for (int i = 0; i < 5000; i++) {
            assertThat(l.tryAcquire(KdsKey.of(Product.TURIN, CHIP, i), 0)).isTrue();
        }
        assertThat(l.tryAcquire(KdsKey.of(Product.TURIN, CHIP, 42), 5 * S)).isFalse();
        assertThat(l.tryAcquire(KdsKey.of(Product.TURIN, CHIP, 42), 10 * S)).isTrue();
    }

    @Test
    void zeroIntervalServesEverything() {
        KdsRateLimit l = new KdsRateLimit(0);
        assertThat(l.tryAcquire(MILAN_TCB1, 0)).isTrue();
        assertThat(l.tryAcquire(MILAN_TCB1, 0)).isTrue();
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> new KdsRateLimit(-1)).hasMessage("interval is -1 ns (expected: >= 0)");
        assertThatThrownBy(() -> new KdsKey(null, "00", 0)).hasMessage("product is missing");
        assertThatThrownBy(() -> KdsKey.of(Product.MILAN, null, 0)).hasMessage("chip id is missing");
        KdsRateLimit l = new KdsRateLimit();
        l.tryAcquire(MILAN_TCB1, 5);
        assertThatThrownBy(() -> l.retryAfterNanos(MILAN_TCB1, 4)).hasMessage("time went backwards: 4 ns after 5 ns");
    }
}
