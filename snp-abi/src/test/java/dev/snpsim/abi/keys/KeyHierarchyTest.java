package dev.snpsim.abi.keys;

import static dev.snpsim.abi.keys.TestKeys.HIERARCHY;
import static dev.snpsim.abi.keys.TestKeys.chipId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Product;
import dev.snpsim.abi.report.TcbVersion;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyHierarchyTest {
    private static final TcbVersion MILAN_TCB = TcbVersion.of(Product.MILAN, 0, 3, 0, 8, 0x73);

    @Test
    void sameSeedGivesSameRootBytesAndKeys() throws Exception {
        // one RSA-4096 root only (seconds each); its self-signature shows the PSS salt is seeded too
        KeyHierarchy again = KeyHierarchy.create(HIERARCHY.seed());
        assertThat(again.arkCertificate(Product.MILAN).getEncoded())
                .isEqualTo(HIERARCHY.arkCertificate(Product.MILAN).getEncoded());
        byte[] chip = chipId(Product.MILAN, 1);
        assertThat(again.vcekPrivateKey(Product.MILAN, chip, MILAN_TCB).getS())
                .isEqualTo(HIERARCHY.vcek(Product.MILAN, chip, MILAN_TCB).privateKey().getS());
        assertThat(again.amdWrappingKey().getEncoded()).isEqualTo(HIERARCHY.amdWrappingKey().getEncoded());
        Vcek v1 = HIERARCHY.vcek(Product.MILAN, chip, MILAN_TCB);
        assertThat(HIERARCHY.vcek(Product.MILAN, chip, MILAN_TCB).certificate().getEncoded())
                .isEqualTo(v1.certificate().getEncoded());
    }

    @Test
    void differentSeedGivesDifferentKeys() {
        KeyHierarchy other = KeyHierarchy.create(HIERARCHY.seed() + 1);
        byte[] chip = chipId(Product.MILAN, 1);
        assertThat(other.vcekPrivateKey(Product.MILAN, chip, MILAN_TCB).getS())
                .isNotEqualTo(HIERARCHY.vcekPrivateKey(Product.MILAN, chip, MILAN_TCB).getS());
        assertThat(other.amdWrappingKey().getEncoded()).isNotEqualTo(HIERARCHY.amdWrappingKey().getEncoded());
        // the stream every RSA root key is drawn from
        byte[] mine = new byte[64];
        byte[] theirs = new byte[64];
        new SeededSecureRandom(HIERARCHY.seed(), "MILAN/ark").nextBytes(mine);
        new SeededSecureRandom(other.seed(), "MILAN/ark").nextBytes(theirs);
        assertThat(theirs).isNotEqualTo(mine);
    }

    @Test
    void rootsAreRsa4096WithAmdNamesSerialsAndValidity() {
        ProductRoots r = HIERARCHY.roots(Product.GENOA);
        assertThat(((RSAPublicKey) r.ark().getPublicKey()).getModulus().bitLength()).isEqualTo(4096);
        assertThat(((RSAPublicKey) r.ark().getPublicKey()).getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
        assertThat(r.ark().getSubjectX500Principal().getName())
                .isEqualTo("CN=ARK-Genoa,O=Advanced Micro Devices,ST=CA,L=Santa Clara,C=US,OU=Engineering");
        assertThat(r.ask().getSubjectX500Principal().getName()).startsWith("CN=SEV-Genoa,");
        assertThat(r.asvk().getSubjectX500Principal().getName()).startsWith("CN=SEV-VLEK-Genoa,");
        assertThat(r.ask().getIssuerX500Principal()).isEqualTo(r.ark().getSubjectX500Principal());
        assertThat(r.ark().getSerialNumber()).isEqualTo(BigInteger.valueOf(0x20000));
        assertThat(r.ask().getSerialNumber()).isEqualTo(BigInteger.valueOf(0x20002));
        assertThat(r.asvk().getSerialNumber()).isEqualTo(BigInteger.valueOf(0x20101));
        assertThat(r.ask().getBasicConstraints()).isEqualTo(0);
        assertThat(r.ark().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void rootsHaveTheStructureOfTheRealOnes() throws Exception {
        for (Product p : Product.values()) {
            ProductRoots mine = HIERARCHY.roots(p);
            String n = p.displayName().toLowerCase(java.util.Locale.ROOT);
            sameShape(mine.ark(), TestKeys.realCert("ark_" + n + ".pem"));
            sameShape(mine.ask(), TestKeys.realCert("ask_" + n + ".pem"));
            sameShape(mine.asvk(), TestKeys.realCert("asvk_" + n + ".pem"));
        }
    }

    @Test
    void vcekHasTheStructureOfTheRealOne() throws Exception {
        X509Certificate real = TestKeys.realCert("milan_vcek_1.der");
        Vcek mine = HIERARCHY.vcek(Product.MILAN, chipId(Product.MILAN, 1), MILAN_TCB);
        sameShape(mine.certificate(), real);
        assertThat(mine.certificate().getSubjectX500Principal()).isEqualTo(real.getSubjectX500Principal());
        assertThat(mine.certificate().getIssuerX500Principal()).isEqualTo(real.getIssuerX500Principal());
        // every KDS extension value has the real one's ASN.1 type and, for the same TCB, value
        for (String oid : real.getNonCriticalExtensionOIDs()) {
            if (!oid.equals(KdsExtensions.HW_ID.getId())) {
                assertThat(mine.certificate().getExtensionValue(oid)).as(oid).isEqualTo(real.getExtensionValue(oid));
            }
        }
        assertThat(mine.certificate().getExtensionValue(KdsExtensions.HW_ID.getId())).hasSize(66);
    }

    @Test
    void vcekExtensionsCarryTheTcbAndChipId() {
        byte[] chip = chipId(Product.MILAN, 2);
        Vcek v = HIERARCHY.vcek(Product.MILAN, chip, MILAN_TCB);
        KdsExtensions ext = KdsExtensions.read(v.certificate());
        assertThat(ext.structVersion()).isZero();
        assertThat(ext.productName()).isEqualTo("Milan-B0");
        assertThat(ext.spls()).containsEntry(1, 3).containsEntry(2, 0).containsEntry(3, 8).containsEntry(8, 0x73)
                .doesNotContainKey(9);
        assertThat(ext.hwId()).isEqualTo(chip);
        assertThat(ext.cspId()).isNull();
        assertThat(ext.tcbRaw(Product.MILAN)).isEqualTo(MILAN_TCB.raw());
        assertThat(v.certificate().getSerialNumber()).isZero();
    }

    @Test
    void turinVcekHasAnEightByteHwIdAndFmcSpl() {
        byte[] chip = chipId(Product.TURIN, 1);
        TcbVersion tcb = TcbVersion.of(Product.TURIN, 1, 2, 3, 4, 0x50);
        Vcek v = HIERARCHY.vcek(Product.TURIN, chip, tcb);
        KdsExtensions ext = KdsExtensions.read(v.certificate());
        assertThat(ext.productName()).isEqualTo("Turin");
        assertThat(ext.hwId()).isEqualTo(Arrays.copyOf(chip, 8));
        assertThat(ext.spls()).containsEntry(9, 1).containsEntry(1, 2).containsEntry(2, 3).containsEntry(3, 4)
                .containsEntry(8, 0x50).doesNotContainKey(4);
        assertThat(ext.tcbRaw(Product.TURIN)).isEqualTo(tcb.raw());
        assertThat(HIERARCHY.vcek(Product.TURIN, Arrays.copyOf(chip, 8), tcb).privateKey().getS())
                .isEqualTo(v.privateKey().getS());
    }

    @Test
    void turinChipIdWithBytesAfterTheEighthIsRejected() {
        byte[] chip = chipId(Product.TURIN, 1);
        chip[9] = 1;
        assertThatThrownBy(() -> HIERARCHY.vcek(Product.TURIN, chip, TcbVersion.ZERO))
                .isInstanceOf(AbiException.class).hasMessageContaining("byte 0x9 is 0x01");
    }

    @Test
    void newTcbGivesNewVcekAndOtherChipAnotherKey() {
        byte[] chip = chipId(Product.MILAN, 1);
        Vcek a = HIERARCHY.vcek(Product.MILAN, chip, MILAN_TCB);
        Vcek b = HIERARCHY.vcek(Product.MILAN, chip, TcbVersion.of(Product.MILAN, 0, 3, 0, 9, 0x73));
        Vcek c = HIERARCHY.vcek(Product.MILAN, chipId(Product.MILAN, 3), MILAN_TCB);
        assertThat(b.privateKey().getS()).isNotEqualTo(a.privateKey().getS());
        assertThat(c.privateKey().getS()).isNotEqualTo(a.privateKey().getS());
        assertThat(HIERARCHY.vcek(Product.MILAN, chip, MILAN_TCB).privateKey().getS())
                .isEqualTo(a.privateKey().getS());
        assertThat(a.publicKey().getW()).isEqualTo(P384.publicKey(a.privateKey().getS()).getW());
    }

    @Test
    void vlekCarriesCspIdAndSplsButNoHwId() {
        TcbVersion tcb = TcbVersion.of(Product.GENOA, 0, 9, 0, 21, 0xd5);
        Vlek v = HIERARCHY.vlek(Product.GENOA, "csp-one", 1, tcb);
        KdsExtensions ext = KdsExtensions.read(v.certificate());
        assertThat(ext.cspId()).isEqualTo("csp-one");
        assertThat(ext.hwId()).isNull();
        assertThat(ext.tcbRaw(Product.GENOA)).isEqualTo(tcb.raw());
        assertThat(v.certificate().getIssuerX500Principal())
                .isEqualTo(HIERARCHY.roots(Product.GENOA).asvk().getSubjectX500Principal());
        assertThat(v.certificate().getSubjectX500Principal().getName()).startsWith("CN=SEV-VLEK,");
        assertThat(HIERARCHY.vlek(Product.GENOA, "csp-one", 2, tcb).privateKey().getS())
                .isNotEqualTo(v.privateKey().getS());
        assertThat(HIERARCHY.vlek(Product.GENOA, "csp-two", 1, tcb).privateKey().getS())
                .isNotEqualTo(v.privateKey().getS());
    }

    @Test
    void realVcekExtensionsReadAsTheReportsTcb() {
        KdsExtensions ext = KdsExtensions.read(TestKeys.realCert("milan_vcek_1.der"));
        assertThat(ext.productName()).isEqualTo("Milan-B0");
        assertThat(ext.hwId()).hasSize(64);
        assertThat(ext.spls()).isEqualTo(Map.of(1, 3, 2, 0, 3, 8, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0x73));
        assertThat(ext.tcbRaw(Product.MILAN)).isEqualTo(0x7308000000000003L);
    }

    @Test
    void badCspIdIsRejected() {
        assertThatThrownBy(() -> HIERARCHY.vlek(Product.MILAN, "", 1, TcbVersion.ZERO))
                .isInstanceOf(AbiException.class).hasMessageContaining("csp id");
    }

    /** Same version, algorithm bytes, key type and size, extension OIDs and criticality. */
    private static void sameShape(X509Certificate mine, X509Certificate real) throws Exception {
        String what = mine.getSubjectX500Principal().getName();
        assertThat(mine.getVersion()).as(what).isEqualTo(real.getVersion());
        assertThat(mine.getSigAlgOID()).as(what).isEqualTo(real.getSigAlgOID());
        assertThat(mine.getSigAlgParams()).as(what).isEqualTo(real.getSigAlgParams());
        assertThat(mine.getPublicKey().getAlgorithm()).as(what).isEqualTo(real.getPublicKey().getAlgorithm());
        assertThat(mine.getCriticalExtensionOIDs()).as(what).isEqualTo(real.getCriticalExtensionOIDs());
        assertThat(mine.getNonCriticalExtensionOIDs()).as(what).isEqualTo(real.getNonCriticalExtensionOIDs());
        assertThat(mine.getKeyUsage()).as(what).isEqualTo(real.getKeyUsage());
        assertThat(mine.getSignature()).as(what).hasSameSizeAs(real.getSignature());
        if (!real.getSubjectX500Principal().getName().startsWith("CN=SEV-VCEK,")) {
            // roots: the very names, serials and dates of AMD's (a VCEK's vary per chip and TCB)
            assertThat(mine.getSubjectX500Principal()).as(what).isEqualTo(real.getSubjectX500Principal());
            assertThat(mine.getIssuerX500Principal()).as(what).isEqualTo(real.getIssuerX500Principal());
            assertThat(mine.getSerialNumber()).as(what).isEqualTo(real.getSerialNumber());
            assertThat(mine.getNotBefore()).as(what).isEqualTo(real.getNotBefore());
            assertThat(mine.getNotAfter()).as(what).isEqualTo(real.getNotAfter());
        }
    }
}
