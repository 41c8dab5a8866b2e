package dev.snpsim.abi.verify;

import static dev.snpsim.abi.keys.TestKeys.HIERARCHY;
import static dev.snpsim.abi.keys.TestKeys.chipId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.keys.ProductRoots;
import dev.snpsim.abi.keys.TestKeys;
import dev.snpsim.abi.keys.Vcek;
import dev.snpsim.abi.keys.Vlek;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SignerInfo;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.abi.sign.ReportSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks our certificates and report signatures with the OpenSSL command line: the
 * chain with {@code openssl verify} (RSASSA-PSS included), the report signature with
 * {@code openssl dgst -sha384 -verify} on bytes 0x000..0x29F and a DER (r, s). The same
 * commands run on a real Milan report first, proving the harness itself, and on a
 * tampered report, proving it can fail.
 */
class OpenSslCrossCheckTest {
    /** 2026-01-01T00:00:00Z: inside every generated and real certificate's validity. */
    private static final String AT_TIME = "1767225600";

    @TempDir
    Path dir;

    @BeforeAll
    static void needsOpenssl() {
        boolean present;
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        assumeTrue(present, "the openssl command is not installed, so the cross-check cannot run");
    }

    @Test
    void harnessAcceptsTheRealMilanReportAndRejectsItTampered() throws Exception {
        X509Certificate vcek = TestKeys.realCert("milan_vcek_1.der");
        byte[] report = TestKeys.realAmd("milan_report_1.bin");
        Path leaf = write("vcek.pem", vcek);
        assertThat(run("verify", "-attime", AT_TIME, "-CAfile", write("ark.pem", TestKeys.realCert("ark_milan.pem"))
                .toString(), "-untrusted", write("ask.pem", TestKeys.realCert("ask_milan.pem")).toString(),
                leaf.toString())).isEqualTo(Result.ok(leaf + ": OK"));
        assertThat(verifyReport(AttestationReport.decode(report), vcek).exit()).isZero();
        AttestationReport tampered = AttestationReport.decode(TestKeys.flip(report, 0x50));
        assertThat(verifyReport(tampered, vcek).exit()).isNotZero();
    }

    @Test
    void opensslAcceptsOurVcekChainAndReportSignature() throws Exception {
        Product p = Product.GENOA;
        TcbVersion tcb = TcbVersion.of(p, 0, 9, 0, 23, 0xd4);
        Vcek vcek = HIERARCHY.vcek(p, chipId(p, 5), tcb);
        ProductRoots roots = HIERARCHY.roots(p);
        Path leaf = write("vcek.pem", vcek.certificate());
        Result chain = run("verify", "-attime", AT_TIME, "-CAfile", write("ark.pem", roots.ark()).toString(),
                "-untrusted", write("ask.pem", roots.ask()).toString(), leaf.toString());
        assertThat(chain).isEqualTo(Result.ok(leaf + ": OK"));
        AttestationReport signed = ReportSigner.sign(AttestationReport.builder().cpuidOf(p).reportedTcb(tcb)
                .chipId(chipId(p, 5)).signerInfo(SignerInfo.VCEK).build(), vcek.privateKey());
        Result sig = verifyReport(signed, vcek.certificate());
        assertThat(sig).isEqualTo(Result.ok("Verified OK"));
        Result text = run("x509", "-in", leaf.toString(), "-noout", "-text");
        assertThat(text.out()).contains("rsassaPss", "Salt Length: 0x30", "1.3.6.1.4.1.3704.1.4", "Genoa",
                "Issuer: OU = Engineering, C = US, L = Santa Clara, ST = CA, O = Advanced Micro Devices, CN = SEV-Genoa");
    }

    @Test
    void opensslAcceptsOurVlekChainAndRejectsAVlekUnderTheAsk() throws Exception {
        Product p = Product.TURIN;
        TcbVersion tcb = TcbVersion.of(p, 1, 1, 0, 1, 0x4e);
        Vlek vlek = HIERARCHY.vlek(p, "openssl-csp", 1, tcb);
        ProductRoots roots = HIERARCHY.roots(p);
        Path leaf = write("vlek.pem", vlek.certificate());
        Path ark = write("ark.pem", roots.ark());
        assertThat(run("verify", "-attime", AT_TIME, "-CAfile", ark.toString(), "-untrusted",
                write("asvk.pem", roots.asvk()).toString(), leaf.toString())).isEqualTo(Result.ok(leaf + ": OK"));
        assertThat(run("verify", "-attime", AT_TIME, "-CAfile", ark.toString(), "-untrusted",
                write("ask.pem", roots.ask()).toString(), leaf.toString()).exit()).isNotZero();
        AttestationReport signed = ReportSigner.sign(AttestationReport.builder().cpuidOf(p).reportedTcb(tcb)
                .signerInfo(SignerInfo.VLEK).build(), vlek.privateKey());
        assertThat(verifyReport(signed, vlek.certificate())).isEqualTo(Result.ok("Verified OK"));
    }

    /** openssl dgst -sha384 -verify on the signed bytes with the signature as DER (r, s). */
    private Result verifyReport(AttestationReport report, X509Certificate cert) throws Exception {
        Path pub = dir.resolve("pub.pem");
        Result key = run("x509", "-in", write("leaf-for-key.pem", cert).toString(), "-pubkey", "-noout");
        Files.writeString(pub, key.out());
        Path sig = Files.write(dir.resolve("sig.der"), new DERSequence(new ASN1Integer[] {
            new ASN1Integer(report.signature().r()), new ASN1Integer(report.signature().s())}).getEncoded());
        Path signed = Files.write(dir.resolve("signed.bin"), report.signedBytes());
        return run("dgst", "-sha384", "-verify", pub.toString(), "-signature", sig.toString(), signed.toString());
    }

    private Path write(String name, X509Certificate cert) throws IOException {
        return Files.writeString(dir.resolve(name), CertificateFiles.toPem(cert), StandardCharsets.US_ASCII);
    }

    private record Result(int exit, String out) {
        static Result ok(String out) {
            return new Result(0, out);
        }
    }

    private static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl %s finished", args[0]).isTrue();
        return new Result(p.exitValue(), out.strip());
    }
}
