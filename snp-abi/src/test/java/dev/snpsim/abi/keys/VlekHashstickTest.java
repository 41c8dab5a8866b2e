package dev.snpsim.abi.keys;

import static dev.snpsim.abi.keys.TestKeys.HIERARCHY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Product;
import dev.snpsim.abi.report.TcbVersion;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class VlekHashstickTest {
    private static final TcbVersion TCB = TcbVersion.of(Product.MILAN, 0, 4, 0, 22, 0xd1);

    private static Vlek vlek() {
        return HIERARCHY.vlek(Product.MILAN, "example-csp", 3, TCB);
    }

    @Test
    void wrapIs432BytesAndUnwrapsToTheSameKey() {
        byte[] blob = VlekHashstick.wrap(HIERARCHY.amdWrappingKey(), vlek());
        assertThat(blob).hasSize(432);
        VlekUnwrapped u = VlekHashstick.unwrap(HIERARCHY.amdWrappingKey(), blob);
        assertThat(u.version()).isZero();
        assertThat(u.tcb()).isEqualTo(TCB);
        assertThat(u.cspId()).isEqualTo("example-csp");
        assertThat(u.privateKey().getS()).isEqualTo(vlek().privateKey().getS());
    }

    @Test
    void wrapIsDeterministicAndDiffersPerVlek() {
        byte[] a = VlekHashstick.wrap(HIERARCHY.amdWrappingKey(), vlek());
        assertThat(VlekHashstick.wrap(HIERARCHY.amdWrappingKey(), vlek())).isEqualTo(a);
        byte[] other = VlekHashstick.wrap(HIERARCHY.amdWrappingKey(),
                HIERARCHY.vlek(Product.MILAN, "example-csp", 4, TCB));
        assertThat(Arrays.copyOfRange(other, 0x10, 0x1c)).isNotEqualTo(Arrays.copyOfRange(a, 0x10, 0x1c));
    }

    @Test
    void wrongSizeIsRejected() {
        byte[] blob = Arrays.copyOf(VlekHashstick.wrap(HIERARCHY.amdWrappingKey(), vlek()), 431);
        assertThatThrownBy(() -> VlekHashstick.unwrap(HIERARCHY.amdWrappingKey(), blob))
                .isInstanceOf(AbiException.class).hasMessage("vlek hashstick is 431 bytes (expected: 0x1b0)");
    }

    @Test
    void badVersionIsRejected() {
        byte[] blob = VlekHashstick.wrap(HIERARCHY.amdWrappingKey(), vlek());
        blob[0] = 2;
        assertThatThrownBy(() -> VlekHashstick.unwrap(HIERARCHY.amdWrappingKey(), blob))
                .isInstanceOf(AbiException.class).hasMessage("vlek hashstick version at 0x0 is 2 (expected: 0)");
    }

    @Test
    void foreignWrappingKeyFailsTheTag() {
        byte[] blob = VlekHashstick.wrap(HIERARCHY.amdWrappingKey(), vlek());
        SecretKeySpec foreign = new SecretKeySpec(new byte[32], "AES");
        assertThatThrownBy(() -> VlekHashstick.unwrap(foreign, blob))
                .isInstanceOf(AbiException.class).hasMessageContaining("tag at 0x90 does not verify");
    }

    @Test
    void alteredTcbFailsTheTag() {
        byte[] blob = TestKeys.flip(VlekHashstick.wrap(HIERARCHY.amdWrappingKey(), vlek()), 0x08);
        assertThatThrownBy(() -> VlekHashstick.unwrap(HIERARCHY.amdWrappingKey(), blob))
                .isInstanceOf(AbiException.class).hasMessageContaining("does not verify");
    }

    @Test
    void nonZeroPaddingIsRejected() {
        byte[] blob = VlekHashstick.wrap(HIERARCHY.amdWrappingKey(), vlek());
        blob[0x1af] = 1;
        assertThatThrownBy(() -> VlekHashstick.unwrap(HIERARCHY.amdWrappingKey(), blob))
                .isInstanceOf(AbiException.class)
                .hasMessage("vlek hashstick padding [0xa0:0x1b0] not all zero (byte 0x1af is 0x01)");
    }
}
