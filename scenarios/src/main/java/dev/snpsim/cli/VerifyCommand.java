package dev.snpsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.keys.CertificateFiles;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SigningKey;
import dev.snpsim.abi.verify.Options;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.abi.verify.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code snpsim verify}: what a relying party runs on a report and its certificates. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify an attestation report against its certificate chain and print the decoded fields.",
            "Exit code: 0 valid, 1 invalid, 2 unreadable input."})
final class VerifyCommand implements Callable<Integer> {
    static final int VALID = 0;
    static final int INVALID = 1;
    static final int UNREADABLE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--report", description = "the report (1184 bytes); default with --dir: DIR/report.bin")
    Path report;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--certs", description = "a GHCB certificate table (certs.bin, or QEMU's/snphost's blob)")
        Path certs;

        @Option(names = "--dir", description = "a directory with report.bin, ark.pem, ask.pem or asvk.pem, vcek.der or vlek.der")
        Path dir;
    }

    @Option(names = "--ark", description = "the trusted ARK (PEM or DER); without it the supplied ARK is trusted as is")
    Path ark;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path reportPath = report != null ? report
                : source.dir != null ? source.dir.resolve("report.bin") : null;
        if (reportPath == null) {
            throw new CliException(UNREADABLE, "--report is required with --certs");
        }
        byte[] reportBytes = read(reportPath);
        X509Certificate pinned = ark == null ? null : cert(ark);
        Verdict verdict;
        boolean arkPinned = pinned != null;
        if (source.certs != null) {
            CertTable table;
            try {
                table = CertTable.decode(read(source.certs));
            } catch (AbiException e) {
                throw new CliException(UNREADABLE, source.certs + ": " + e.getMessage(), e);
            }
            X509Certificate anchor = pinned;
            if (anchor == null) {
                anchor = table.find(CertGuid.ARK).map(b -> certBytes(source.certs + " (ark entry)", b)).orElse(null);
            }
            verdict = new ReportVerifier(Options.defaults()).verify(reportBytes, table, anchor);
        } else {
            Path d = source.dir;
            SigningKey kind = signingKeyOf(reportBytes);
            Optional<Path> leaf = kind == SigningKey.VLEK ? first(d, "vlek.der", "vlek.pem", "vcek.der", "vcek.pem")
                    : first(d, "vcek.der", "vcek.pem", "vlek.der", "vlek.pem");
            Optional<Path> inter = leaf.map(p -> p.getFileName().toString().startsWith("vlek")).orElse(false)
                    ? first(d, "asvk.pem", "asvk.der", "ask.pem", "ask.der")
                    : first(d, "ask.pem", "ask.der", "asvk.pem", "asvk.der");
            X509Certificate supplied = first(d, "ark.pem", "ark.der").map(this::cert).orElse(null);
            X509Certificate anchor = pinned != null ? pinned : supplied;
            if (pinned != null && supplied != null && !pinned.equals(supplied)) {
                out.println("note: " + d.resolve("ark.pem") + " differs from --ark; verifying against --ark");
            }
            verdict = new ReportVerifier(Options.defaults())
                    .verify(reportBytes, anchor, inter.map(this::cert).orElse(null), leaf.map(this::cert).orElse(null));
        }
        print(out, verdict, arkPinned);
        return verdict.ok() ? VALID : verdict.reason() == Verdict.Reason.MALFORMED ? UNREADABLE : INVALID;
    }

    private void print(PrintWriter out, Verdict v, boolean arkPinned) throws IOException {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("verdict", v.ok() ? "valid" : "invalid");
            m.put("reason", v.reason().name());
            m.put("detail", v.detail());
            m.put("product", v.product() == null ? null : v.product().displayName());
            m.put("arkPinned", arkPinned);
            m.put("report", v.report() == null ? null : ReportJson.of(v.report(), v.product()));
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(mapper.writeValueAsString(m));
            return;
        }
        if (v.report() != null) {
            ReportJson.of(v.report(), v.product()).forEach((k, val) -> out.printf("%-18s %s%n", k, val));
            out.println();
        }
        if (!arkPinned) {
            out.println("note: the ARK was not pinned with --ark; the one supplied with the report was trusted");
        }
        out.println((v.ok() ? "VALID " : "INVALID ") + v);
    }

    private static SigningKey signingKeyOf(byte[] reportBytes) {
        try {
            return AttestationReport.decode(reportBytes).signerInfo().signingKey();
        } catch (AbiException e) {
            return SigningKey.VCEK; // the verifier names the malformation
        }
    }

    private static Optional<Path> first(Path dir, String... names) {
        return List.of(names).stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }

    private X509Certificate cert(Path p) {
        try {
            return certBytes(p.toString(), read(p));
        } catch (IOException e) {
            throw new CliException(UNREADABLE, p + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate certBytes(String name, byte[] bytes) {
        try {
            return CertificateFiles.read(bytes);
        } catch (AbiException e) {
            throw new CliException(UNREADABLE, name + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path p) throws IOException {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new CliException(UNREADABLE, p + ": no such file");
        }
    }
}
