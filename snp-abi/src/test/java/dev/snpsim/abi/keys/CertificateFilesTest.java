package dev.snpsim.abi.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class CertificateFilesTest {
    @Test
    void readsPemAndDerWhateverTheName() {
        X509Certificate fromPem = CertificateFiles.read(TestKeys.realAmd("ark_milan.pem"));
        X509Certificate fromDer = CertificateFiles.read(TestKeys.realAmd("milan_vcek_1.der"));
        assertThat(fromPem.getSubjectX500Principal().getName()).startsWith("CN=ARK-Milan");
        assertThat(fromDer.getSubjectX500Principal().getName()).startsWith("CN=SEV-VCEK");
        assertThat(CertificateFiles.read(CertificateFiles.toDer(fromPem))).isEqualTo(fromPem);
    }

    @Test
    void toPemRoundTripsAndHasSixtyFourColumnLines() {
        X509Certificate vcek = CertificateFiles.read(TestKeys.realAmd("milan_vcek_1.der"));
        String pem = CertificateFiles.toPem(vcek);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(pem.lines().mapToInt(String::length).max().orElseThrow()).isEqualTo(64);
        assertThat(CertificateFiles.read(("\n  " + pem).getBytes(StandardCharsets.US_ASCII))).isEqualTo(vcek);
    }

    @Test
    void garbageIsRejectedWithItsSize() {
        assertThatThrownBy(() -> CertificateFiles.read(new byte[] {0x30, 0x03, 1, 2, 3}))
                .isInstanceOf(AbiException.class).hasMessageStartingWith("not an x.509 certificate (5 bytes");
    }

    @Test
    void truncatedPemIsRejected() {
        byte[] pem = "-----BEGIN CERTIFICATE-----\nMIIB".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> CertificateFiles.read(pem))
                .isInstanceOf(AbiException.class).hasMessageContaining("no complete");
    }

    @Test
    void emptyIsRejected() {
        assertThatThrownBy(() -> CertificateFiles.read(new byte[0]))
                .isInstanceOf(AbiException.class).hasMessage("certificate file is empty");
    }
}
