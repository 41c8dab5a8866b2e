package dev.snpsim.bench.abi;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.SignerInfo;
import dev.snpsim.abi.report.TcbVersion;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The codec and the guest channel, without signatures: encode of an attestation report
 * (0x4A0 bytes; decode is in {@link ReportCryptoBenchmark}), and AES-256-GCM seal and open
 * of a MSG_REPORT_REQ page with VMPCK0, as the guest driver and the PSP do once each per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MessageBenchmark {
    private AttestationReport report;
    private byte[] vmpck;
    private GuestMessageHeader header;
    private byte[] payload;
    private byte[] sealed;
    private GuestMessageHeader[] nextHeaders; // seal alternates seqnos, as a channel in use does
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Product p = Product.GENOA;
        TcbVersion tcb = TcbVersion.of(p, 0, 9, 0, 21, 0xd4);
        byte[] chip = new byte[64];
        Arrays.fill(chip, (byte) 0x33);
        report = AttestationReport.builder().cpuidOf(p).reportedTcb(tcb).currentTcb(tcb).committedTcb(tcb)
                .launchTcb(tcb).chipId(chip).signerInfo(SignerInfo.VCEK).build();
        vmpck = new byte[GuestMessages.KEY_SIZE];
        Arrays.fill(vmpck, (byte) 0x5c);
        header = GuestMessageHeader.of(MessageType.REPORT_REQ, 1, 1, 0);
        // sealing one header again and again would reuse key and IV, which the JDK refuses (and
        // GuestMessages then answers with a fresh cipher): not what a guest or the PSP does
        nextHeaders = new GuestMessageHeader[] {header, GuestMessageHeader.of(MessageType.REPORT_REQ, 1, 3, 0)};
        byte[] data = new byte[64];
        Arrays.fill(data, (byte) 9);
        payload = new ReportRequest(data, 0, ReportRequest.KEY_SEL_DEFAULT).encode();
        sealed = GuestMessages.seal(vmpck, header, payload);
        if (GuestMessages.open(vmpck, sealed, 1).payload().length != payload.length) {
            throw new IllegalStateException("sealed request does not open to its payload");
        }
    }

    @Benchmark
    public byte[] encodeReport() {
        return report.encode();
    }

    @Benchmark
    public byte[] seal() {
        next ^= 1;
        return GuestMessages.seal(vmpck, nextHeaders[next], payload);
    }

    @Benchmark
    public GuestMessages.Opened open() {
        return GuestMessages.open(vmpck, sealed, 1);
    }
}
