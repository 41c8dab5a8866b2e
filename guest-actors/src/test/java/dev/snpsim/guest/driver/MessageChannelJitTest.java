package dev.snpsim.guest.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.launch.SecretsPage;
import dev.snpsim.host.kvm.GuestMemory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link MessageChannel#wiped()} stays right after HotSpot's C2 compiles it.
 *
 * <p>The first version compared the key with {@code Arrays.equals(key, new byte[32])} and then
 * zeroed its copy with {@code Arrays.fill}. On OpenJDK 17.0.15 and Temurin 25.0.3, once C2
 * compiled that (a few hundred thousand calls), the compare could see the zeroed copy: a live
 * key read as wiped, the driver answered ENOTTY, and long simulations (1,000 guests, a few
 * simulated minutes) lost every guest at once, differently from run to run. The same pattern in
 * plain JDK code reproduces it; {@code Arrays.mismatch} or a loop does not. This test calls
 * {@code wiped()} well past the compile threshold; it failed with the old code.
 */
class MessageChannelJitTest {
    private static final long SECRETS = 0x3000;

    @Test
    void aLiveKeyNeverReadsAsWipedOnceTheMethodIsCompiled() {
        byte[][] keys = new byte[4][32];
        for (int i = 0; i < 4; i++) {
            Arrays.fill(keys[i], (byte) (0x21 * (i + 1)));
        }
        GuestMemory m = new GuestMemory(1 << 16);
        m.firmwareWrite(SECRETS, SecretsPage.atLaunch(0xa00f11, keys).encode());
        MessageChannel live = new MessageChannel(m, SECRETS, 0, new SeqnoGuard());
        MessageChannel gone = new MessageChannel(m, SECRETS, 1, new SeqnoGuard());
        gone.wipe();
        long wrong = 0;
        for (int i = 0; i < 3_000_000; i++) {
            if (live.wiped() || (i % 1000 == 0 && !gone.wiped())) {
                wrong++;
            }
        }
        assertThat(wrong).as("wrong answers of wiped() over 3 million calls").isZero();
    }
}
