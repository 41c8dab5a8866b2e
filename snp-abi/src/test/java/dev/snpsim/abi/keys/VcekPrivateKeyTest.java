package dev.snpsim.abi.keys;

import static dev.snpsim.abi.keys.TestKeys.HIERARCHY;
import static dev.snpsim.abi.keys.TestKeys.chipId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.report.TcbVersion;
import org.junit.jupiter.api.Test;

/** The certificate-free VCEK key is the key of the certified VCEK, and it follows the TCB. */
class VcekPrivateKeyTest {
    @Test
    void equalsTheCertifiedVcekKey() {
        Product p = Product.MILAN;
        TcbVersion tcb = TcbVersion.of(p, 0, 3, 0, 8, 115);
        assertThat(HIERARCHY.vcekPrivateKey(p, chipId(p, 2), tcb).getS())
                .isEqualTo(HIERARCHY.vcek(p, chipId(p, 2), tcb).privateKey().getS());
    }

    @Test
    void changesWithTheTcbAndTheChip() {
        Product p = Product.TURIN;
        TcbVersion a = TcbVersion.of(p, 1, 1, 0, 1, 0x4e);
        TcbVersion b = TcbVersion.of(p, 1, 1, 0, 2, 0x4e);
        KeyHierarchy k = KeyHierarchy.create(3);
        assertThat(k.vcekPrivateKey(p, chipId(p, 1), a).getS()).isNotEqualTo(k.vcekPrivateKey(p, chipId(p, 1), b).getS());
        assertThat(k.vcekPrivateKey(p, chipId(p, 1), a).getS()).isNotEqualTo(k.vcekPrivateKey(p, chipId(p, 2), a).getS());
        assertThat(k.vcekPrivateKey(p, chipId(p, 1), a).getS()).isEqualTo(k.vcekPrivateKey(p, chipId(p, 1), a).getS());
    }
}
