package dev.snpsim.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.keys.Vcek;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.abi.verify.Verdict;
import dev.snpsim.sim.SimProbe;
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
 * A report the PSP actor signs verifies with the snp-abi relying-party verifier against the
 * simulated AMD chain, and with the OpenSSL command line (chain and ECDSA signature). Generates
 * the ARK and ASK (RSA-4096, seconds).
 */
class PspReportVerificationTest {
    private static final String AT_TIME = "1767225600"; // 2026-01-01, inside every generated certificate

    private static AttestationReport report;
    private static Vcek vcek;

    @TempDir
    Path dir;

    @BeforeAll
    static void signOneReport() {
        try (PspHarness h = new PspHarness(PspHarness.config(), 11)) {
            GuestSession s = h.launch("vm-0");
            SimProbe<Psp.GuestResponse> replies = h.sim.probe("replies");
            GuestSession.Sealed req = s.report(GuestSession.data(0x3c), 0, ReportRequest.KEY_SEL_DEFAULT);
            h.tell(new Psp.GuestRequest("vm-0", req.page(), replies.ref()));
            Psp.GuestResponse rsp = replies.expectMessageClass(Psp.GuestResponse.class);
            assertThat(rsp.status()).isEqualTo(FirmwareStatus.SUCCESS);
            report = AttestationReport.decode(s.openReport(req, rsp.response()).report());
        }
        vcek = PspHarness.KEYS.vcek(PspHarness.P, report.chipId(), report.reportedTcb());
    }

    @Test
    void theSnpAbiVerifierAcceptsThePspsReport() {
        Verdict v = ReportVerifier.withDefaults().verify(report.encode(), PspHarness.KEYS.arkCertificate(PspHarness.P),
                PspHarness.KEYS.askCertificate(PspHarness.P), vcek.certificate());
        assertThat(v.ok()).as(v.toString()).isTrue();
        byte[] tampered = report.encode();
        tampered[0x50] ^= 1;
        assertThat(ReportVerifier.withDefaults().verify(tampered, PspHarness.KEYS.arkCertificate(PspHarness.P),
                PspHarness.KEYS.askCertificate(PspHarness.P), vcek.certificate()).ok()).isFalse();
    }

    @Test
    void opensslAcceptsTheChainAndTheSignatureAndRejectsATamperedReport() throws Exception {
        assumeTrue(opensslPresent(), "the openssl command is not installed, so the cross-check cannot run");
        Path leaf = write("vcek.pem", vcek.certificate());
        Result chain = run("verify", "-attime", AT_TIME, "-CAfile",
                write("ark.pem", PspHarness.KEYS.arkCertificate(PspHarness.P)).toString(), "-untrusted",
                write("ask.pem", PspHarness.KEYS.askCertificate(PspHarness.P)).toString(), leaf.toString());
        assertThat(chain.out()).isEqualTo(leaf + ": OK");
        Path pub = dir.resolve("pub.pem");
        Files.writeString(pub, run("x509", "-in", leaf.toString(), "-pubkey", "-noout").out() + "\n");
        Path sig = Files.write(dir.resolve("sig.der"), new DERSequence(new ASN1Integer[] {
            new ASN1Integer(report.signature().r()), new ASN1Integer(report.signature().s())}).getEncoded());
        Path signed = Files.write(dir.resolve("signed.bin"), report.signedBytes());
        assertThat(run("dgst", "-sha384", "-verify", pub.toString(), "-signature", sig.toString(), signed.toString()))
                .isEqualTo(new Result(0, "Verified OK"));
        byte[] tampered = report.signedBytes();
        tampered[0x90] ^= 1; // measurement
        Path bad = Files.write(dir.resolve("tampered.bin"), tampered);
        assertThat(run("dgst", "-sha384", "-verify", pub.toString(), "-signature", sig.toString(), bad.toString())
                .exit()).isNotZero();
    }

    private Path write(String name, X509Certificate cert) throws IOException {
        return Files.writeString(dir.resolve(name), CertificateFiles.toPem(cert), StandardCharsets.US_ASCII);
    }

    private record Result(int exit, String out) {
    }

    private static boolean opensslPresent() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
