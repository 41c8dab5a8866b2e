package dev.snpsim.abi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.KvmExitCoco;
import dev.snpsim.abi.ghcb.KvmExitSnpReqCerts;
import dev.snpsim.abi.ghcb.KvmUserVmgexit;
import dev.snpsim.abi.launch.PageInfo;
import dev.snpsim.abi.launch.PageType;
import dev.snpsim.abi.msg.GuestMessageHeader;
import dev.snpsim.abi.msg.GuestMessages;
import dev.snpsim.abi.msg.KeyRequest;
import dev.snpsim.abi.msg.KeyResponse;
import dev.snpsim.abi.msg.MessageType;
import dev.snpsim.abi.msg.ReportRequest;
import dev.snpsim.abi.msg.ReportResponse;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.ReportSignature;
import dev.snpsim.abi.report.SignerInfo;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every decoder of report, certs, msg, ghcb and launch fed random bytes and mutations of
 * valid encodings: the only exception allowed out is {@link AbiException}, and whatever
 * decodes re-encodes to a value that decodes equal.
 */
class DecoderFuzzTest {
    static final byte[] KEY = new byte[32];

    /** name -> decoder; each returns something with a stable equals. */
    static final List<Decoder> DECODERS = List.of(
            new Decoder("report", AttestationReport::decode, b -> ((AttestationReport) b).encode(),
                    AttestationReport.builder().cpuidOf(Product.TURIN).build().encode()),
            new Decoder("signature", ReportSignature::decode, b -> ((ReportSignature) b).encode(),
                    ReportSignature.zero().encode()),
            new Decoder("cert table", CertTable::decode, b -> ((CertTable) b).encode(),
                    CertTable.of(new CertEntry(CertGuid.VCEK, new byte[40]), new CertEntry(CertGuid.ARK, new byte[9])).encode()),
            new Decoder("message header", GuestMessageHeader::decode, b -> ((GuestMessageHeader) b).encode(),
                    GuestMessageHeader.of(MessageType.REPORT_REQ, 1, 1, 0).encode()),
            new Decoder("sealed page", b -> GuestMessages.open(KEY, b, 1), null,
                    GuestMessages.seal(KEY, GuestMessageHeader.of(MessageType.KEY_REQ, 1, 1, 0), new byte[32])),
            new Decoder("report request", ReportRequest::decode, b -> ((ReportRequest) b).encode(),
                    new ReportRequest(new byte[64], 1, 2).encode()),
            new Decoder("report response", ReportResponse::decode, b -> ((ReportResponse) b).encode(),
                    ReportResponse.success(new byte[0x4a0]).encode()),
            new Decoder("key request", KeyRequest::decode, b -> ((KeyRequest) b).encode(),
                    new KeyRequest(1, 3, 0, 5, 6).encode()),
            new Decoder("key response", KeyResponse::decode, b -> ((KeyResponse) b).encode(),
                    new KeyResponse(0, new byte[32]).encode()),
            new Decoder("kvm_user_vmgexit", b -> KvmUserVmgexit.decode(b, 0), b -> ((KvmUserVmgexit) b).encode(),
                    KvmUserVmgexit.pending(0x1000, 1).encode()),
            new Decoder("kvm_exit_coco", b -> KvmExitCoco.decode(ByteBuffer.wrap(b), 0), b -> ((KvmExitCoco) b).encode(),
                    KvmExitCoco.reqCerts(1, 1).encode()),
            new Decoder("kvm_exit_snp_req_certs", b -> KvmExitSnpReqCerts.decode(b, 0),
                    b -> ((KvmExitSnpReqCerts) b).encode(), new KvmExitSnpReqCerts(1, 2, 3).encode()),
            new Decoder("page_info", PageInfo::decode, b -> ((PageInfo) b).encode(),
                    new PageInfo(new byte[48], new byte[48], PageType.NORMAL, false, 0, 0, 0, 0).encode()),
            new Decoder("signer info", b -> SignerInfo.decode(b.length >= 4 ? LeBytes.u32(b, 0) : b.length), null,
                    new byte[4]),
            new Decoder("exit info 2", b -> ExitInfo2.decode(b.length >= 8 ? LeBytes.u64(b, 0) : 0), null, new byte[8]));

    record Decoder(String name, Function<byte[], Object> decode, Function<Object, byte[]> encode, byte[] valid) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Property(tries = 3000)
    void onlyAbiExceptionEscapes(@ForAll("inputs") Input in) {
        Object decoded;
        try {
            decoded = in.decoder().decode().apply(in.bytes());
        } catch (AbiException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return;
        }
        if (in.decoder().encode() != null) {
            byte[] again = in.decoder().encode().apply(decoded);
            assertThat(in.decoder().decode().apply(again)).isEqualTo(decoded);
        }
    }

    record Input(Decoder decoder, byte[] bytes) {
        @Override
        public String toString() {
            return decoder + ": " + Hex.of(Arrays.copyOf(bytes, Math.min(bytes.length, 64))) + " (" + bytes.length + " bytes)";
        }
    }

    @Provide
    Arbitrary<Input> inputs() {
        Arbitrary<Decoder> decoders = Arbitraries.of(DECODERS);
        return decoders.flatMap(d -> Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(d.valid().length + 64),
                mutations(d.valid()),
                truncations(d.valid())).map(b -> new Input(d, b)));
    }

    /** The valid encoding with a few bytes set to random values (often 0x00, 0x01, 0xff). */
    static Arbitrary<byte[]> mutations(byte[] valid) {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, valid.length - 1);
        Arbitrary<Byte> value = Arbitraries.oneOf(Arbitraries.of((byte) 0, (byte) 1, (byte) 0xff, (byte) 0x80),
                Arbitraries.bytes());
        Arbitrary<int[]> edit = Combinators.combine(index, value).as((i, v) -> new int[] {i, v});
        return edit.list().ofMinSize(1).ofMaxSize(4).map(edits -> {
            byte[] b = valid.clone();
            for (int[] e : edits) {
                b[e[0]] = (byte) e[1];
            }
            return b;
        });
    }

    static Arbitrary<byte[]> truncations(byte[] valid) {
        return Arbitraries.integers().between(0, valid.length + 8).map(n -> Arrays.copyOf(valid, n));
    }
}
