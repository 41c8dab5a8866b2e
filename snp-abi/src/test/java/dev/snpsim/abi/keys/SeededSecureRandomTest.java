package dev.snpsim.abi.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SeededSecureRandomTest {
    @Test
    void sameSeedAndLabelGiveTheSameStreamWhateverTheChunking() {
        SeededSecureRandom a = new SeededSecureRandom(5, "label");
        SeededSecureRandom b = new SeededSecureRandom(5, "label");
        byte[] whole = new byte[100];
        a.nextBytes(whole);
        byte[] first = new byte[37];
        byte[] rest = new byte[63];
        b.nextBytes(first);
        b.nextBytes(rest);
        assertThat(concat(first, rest)).isEqualTo(whole);
    }

    @Test
    void seedingCallsDoNotPerturbTheStream() {
        SeededSecureRandom a = new SeededSecureRandom(5, "label");
        SeededSecureRandom b = new SeededSecureRandom(5, "label");
        b.setSeed(99L);
        b.setSeed(new byte[] {1, 2, 3});
        assertThat(b.nextLong()).isEqualTo(a.nextLong());
    }

    @Test
    void labelAndSeedSeparateStreams() {
        long x = new SeededSecureRandom(5, "a").nextLong();
        assertThat(new SeededSecureRandom(5, "b").nextLong()).isNotEqualTo(x);
        assertThat(new SeededSecureRandom(6, "a").nextLong()).isNotEqualTo(x);
        assertThat(new BigInteger(256, new SeededSecureRandom(5, "a")))
                .isEqualTo(new BigInteger(256, new SeededSecureRandom(5, "a")));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
