package dev.snpsim.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** isZero looks at exactly its range, in buffers shorter and longer than the page it compares against. */
class LeBytesTest {
    @Test
    void isZeroSeesEveryByteOfItsRangeAndNoneOutside() {
        for (int len : new int[] {0, 1, 4095, 4096, 4097, 3 * 4096 + 17}) {
            byte[] b = new byte[len + 2];
            assertThat(LeBytes.isZero(b, 1, 1 + len)).isTrue();
            b[0] = 1;
            b[len + 1] = 1;
            assertThat(LeBytes.isZero(b, 1, 1 + len)).as("bytes outside the range").isTrue();
            for (int i = 1; i <= len; i += Math.max(1, len / 7)) {
                b[i] = 1;
                assertThat(LeBytes.isZero(b, 1, 1 + len)).as("byte %d of %d", i, len).isFalse();
                b[i] = 0;
            }
            if (len > 0) {
                b[len] = 1;
                assertThat(LeBytes.isZero(b, 1, 1 + len)).as("last byte of %d", len).isFalse();
            }
        }
        assertThatThrownBy(() -> LeBytes.isZero(new byte[4], 2, 8)).isInstanceOf(AbiException.class);
    }
}
