package dev.snpsim.cli;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.Product;
import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.keys.Vcek;
import dev.snpsim.abi.keys.Vlek;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SignerInfo;
import dev.snpsim.abi.sign.ReportSigner;
import dev.snpsim.scenario.HostDefaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code snpsim attest}: one signed report and its certificate chain, written as files. */
@Command(name = "attest", mixinStandardHelpOptions = true,
        description = {"Write a signed attestation report (report.bin), its GHCB certificate table (certs.bin)",
            "and the chain as files (ark.pem, ask.pem or asvk.pem, vcek.der or vlek.der)."})
final class AttestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "output directory (created if missing)")
    Path out;

    @Option(names = "--product", defaultValue = "milan", description = "milan, genoa or turin (default: ${DEFAULT-VALUE})")
    String product;

    @Option(names = "--signing-key", defaultValue = "vcek", description = "vcek or vlek (default: ${DEFAULT-VALUE})")
    String signingKey;

    @Option(names = "--report-data", description = "REPORT_DATA as hex, at most 64 bytes (zero-padded)")
    String reportData;

    @Option(names = "--report-version", defaultValue = "3", description = "report VERSION: 2, 3 or 5 (default: ${DEFAULT-VALUE})")
    int reportVersion;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the simulated AMD keys and chip (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws IOException {
        Product p = parseProduct(product);
        boolean vlek = switch (signingKey.toLowerCase(Locale.ROOT)) {
            case "vcek" -> false;
            case "vlek" -> true;
            default -> throw new CliException(2, "--signing-key is '" + signingKey + "' (expected: vcek or vlek)");
        };
        byte[] data = new byte[64];
        if (reportData != null) {
            byte[] given = hex("--report-data", reportData);
            if (given.length > 64) {
                throw new CliException(2, "--report-data is " + given.length + " bytes (expected: at most 64)");
            }
            System.arraycopy(given, 0, data, 0, given.length);
        }
        DemoPlatform platform = DemoPlatform.create(p, seed);
        KeyHierarchy keys = KeyHierarchy.create(seed);
        AttestationReport unsigned;
        try {
            unsigned = platform.report(reportVersion, data, vlek ? SignerInfo.VLEK : SignerInfo.VCEK);
        } catch (AbiException e) {
            throw new CliException(2, e.getMessage(), e);
        }
        X509Certificate ark = keys.arkCertificate(p);
        X509Certificate intermediate;
        X509Certificate leaf;
        AttestationReport signed;
        if (vlek) {
            Vlek k = keys.vlek(p, HostDefaults.CSP_ID, 1, platform.reportedTcb());
            intermediate = keys.asvkCertificate(p);
            leaf = k.certificate();
            signed = ReportSigner.sign(unsigned, k.privateKey());
        } else {
            Vcek k = keys.vcek(p, platform.chipId(), platform.reportedTcb());
            intermediate = keys.askCertificate(p);
            leaf = k.certificate();
            signed = ReportSigner.sign(unsigned, k.privateKey());
        }
        CertTable table = CertTable.of(
                new CertEntry(CertGuid.ARK, CertificateFiles.toDer(ark)),
                new CertEntry(CertGuid.ASK, CertificateFiles.toDer(intermediate)),
                new CertEntry(vlek ? CertGuid.VLEK : CertGuid.VCEK, CertificateFiles.toDer(leaf)));

        Files.createDirectories(out);
        write("report.bin", signed.encode());
        write("certs.bin", table.encode());
        write("ark.pem", CertificateFiles.toPem(ark).getBytes(StandardCharsets.US_ASCII));
        write(vlek ? "asvk.pem" : "ask.pem", CertificateFiles.toPem(intermediate).getBytes(StandardCharsets.US_ASCII));
        write(vlek ? "vlek.der" : "vcek.der", CertificateFiles.toDer(leaf));
        spec.commandLine().getOut().printf(Locale.ROOT,
                "wrote a version %d %s report signed by the %s (reported tcb %s) to %s%n",
                signed.version(), p.displayName(), vlek ? "VLEK" : "VCEK", platform.reportedTcb(), out);
        return 0;
    }

    private void write(String name, byte[] bytes) throws IOException {
        Files.write(out.resolve(name), bytes);
    }

    static Product parseProduct(String name) {
        try {
            return Product.parse(name);
        } catch (AbiException e) {
            throw new CliException(2, "--product: " + e.getMessage());
        }
    }

    static byte[] hex(String option, String value) {
        try {
            return Hex.parse(value);
        } catch (AbiException e) {
            throw new CliException(2, option + ": " + e.getMessage());
        }
    }
}
