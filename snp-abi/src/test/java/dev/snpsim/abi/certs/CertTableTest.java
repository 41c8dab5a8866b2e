package dev.snpsim.abi.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.LeBytes;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CertTableTest {
    static final byte[] ARK = bytes(100, 1);
    static final byte[] ASK = bytes(90, 2);
    static final byte[] VCEK = bytes(80, 3);

    static byte[] bytes(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    static CertTable three() {
        return CertTable.of(new CertEntry(CertGuid.VCEK, VCEK), new CertEntry(CertGuid.ASK, ASK),
                new CertEntry(CertGuid.ARK, ARK));
    }

    @Test
    void encodesEntriesTerminatorThenData() {
        byte[] b = three().encode();
        // 0x00 VCEK guid 63da758d-e664-4564-adc5-f4b93be8accd, offset 0x60, length 80
        assertThat(Hex.of(Arrays.copyOf(b, 16))).isEqualTo("63da758de6644564adc5f4b93be8accd");
        assertThat(LeBytes.u32(b, 0x10)).isEqualTo(0x60);
        assertThat(LeBytes.u32(b, 0x14)).isEqualTo(80);
        // 0x18 ASK at 0x60 + 80
        assertThat(LeBytes.u32(b, 0x18 + 0x10)).isEqualTo(0x60 + 80);
        // 0x48: all-zero terminator
        assertThat(LeBytes.isZero(b, 0x48, 0x60)).isTrue();
        assertThat(b).hasSize(0x60 + 80 + 90 + 100);
        assertThat(three().encodedSize()).isEqualTo(b.length);
        assertThat(b[0x60]).isEqualTo((byte) 3);
    }

    @Test
    void roundTripsAndFinds() {
        CertTable t = CertTable.decode(three().encode());
        assertThat(t).isEqualTo(three());
        assertThat(t.find(CertGuid.ASK)).hasValueSatisfying(v -> assertThat(v).isEqualTo(ASK));
        assertThat(t.find(CertGuid.VLEK)).isEmpty();
        assertThat(t.toString()).isEqualTo("CertTable[VCEK(80 bytes), ASK(90 bytes), ARK(100 bytes)]");
    }

    @Test
    void entryEqualsComparesDataOrAbsence() {
        CertTable t = three();
        assertThat(t.entryEquals(CertGuid.ASK, ASK)).isTrue();
        assertThat(t.entryEquals(CertGuid.ASK, VCEK)).isFalse();
        assertThat(t.entryEquals(CertGuid.ASK, Arrays.copyOf(ASK, 89))).isFalse();
        assertThat(t.entryEquals(CertGuid.ASK, null)).as("present, so not absent").isFalse();
        assertThat(t.entryEquals(CertGuid.VLEK, null)).isTrue();
        assertThat(t.entryEquals(CertGuid.VLEK, VCEK)).isFalse();
    }

    @Test
    void isEncodingOfAcceptsExactlyTheEncodingWithZerosAfterIt() {
        CertTable t = three();
        byte[] enc = t.encode();
        assertThat(t.isEncodingOf(enc)).isTrue();
        byte[] pages = Arrays.copyOf(enc, 3 * 4096);
        assertThat(t.isEncodingOf(pages)).isTrue();
        assertThat(CertTable.empty().isEncodingOf(new byte[4096])).isTrue();
        assertThat(t.isEncodingOf(null)).isFalse();
        assertThat(t.isEncodingOf(Arrays.copyOf(enc, enc.length - 1))).as("truncated").isFalse();
        for (int i = 0; i < enc.length; i += 7) {           // any byte changed, in the table or the data
            byte[] b = pages.clone();
            b[i] ^= 0x20;
            assertThat(t.isEncodingOf(b)).as("byte 0x%x changed", i).isFalse();
        }
        byte[] trailing = pages.clone();
        trailing[3 * 4096 - 1] = 1;
        assertThat(t.isEncodingOf(trailing)).as("a non-zero byte after the table").isFalse();
        CertTable reordered = CertTable.of(new CertEntry(CertGuid.ASK, ASK), new CertEntry(CertGuid.VCEK, VCEK),
                new CertEntry(CertGuid.ARK, ARK));
        assertThat(reordered.isEncodingOf(pages)).as("same certificates, another order").isFalse();
    }

    @Test
    void emptyTableIsOneZeroEntry() {
        assertThat(CertTable.empty().encode()).isEqualTo(new byte[24]);
        assertThat(CertTable.decode(new byte[24]).entries()).isEmpty();
        assertThat(CertTable.empty().pagesNeeded()).isEqualTo(1);
    }

    @Test
    void decodesFromGuestPagesWithTrailingZeros() {
        byte[] pages = Arrays.copyOf(three().encode(), 3 * 4096);
        assertThat(CertTable.decode(pages)).isEqualTo(three());
    }

    @Test
    void pagesNeededRoundsUpToFourKib() {
        assertThat(CertTable.of(new CertEntry(CertGuid.VCEK, new byte[4096 - 48])).pagesNeeded()).isEqualTo(1);
        assertThat(CertTable.of(new CertEntry(CertGuid.VCEK, new byte[4096 - 47])).pagesNeeded()).isEqualTo(2);
    }

    @Test
    void unknownGuidsAreKeptAndPrinted() {
        UUID other = UUID.fromString("ecae0c0f-9502-43b1-afa2-0ae2e0d565b6");
        CertTable t = CertTable.decode(CertTable.of(new CertEntry(other, new byte[] {9})).encode());
        assertThat(t.entries().get(0).guid()).isEqualTo(other);
        assertThat(t.toString()).contains("ecae0c0f-9502-43b1-afa2-0ae2e0d565b6");
    }

    // ---- malformations, one test each

    @Test
    void rejectsMissingTerminator() {
        byte[] b = Arrays.copyOf(three().encode(), 0x48); // cut before the terminator
        assertThatThrownBy(() -> CertTable.decode(b)).isInstanceOf(AbiException.class)
                .hasMessageContaining("no all-zero terminator");
        assertThatThrownBy(() -> CertTable.decode(new byte[0])).hasMessageContaining("no all-zero terminator");
    }

    @Test
    void rejectsDataPastTheBuffer() {
        byte[] b = three().encode();
        LeBytes.putU32(b, 0x14, 0x7fff_ffff);
        assertThatThrownBy(() -> CertTable.decode(b)).hasMessageContaining("entry 0 (VCEK)")
                .hasMessageContaining("runs past the");
        byte[] c = three().encode();
        LeBytes.putU32(c, 0x10, 0xffff_fff0); // offset near 2^32: no int overflow
        assertThatThrownBy(() -> CertTable.decode(c)).hasMessageContaining("runs past the");
    }

    @Test
    void rejectsOverlappingEntries() {
        byte[] b = three().encode();
        LeBytes.putU32(b, 0x18 + 0x10, 0x60 + 40); // ASK starts inside VCEK
        assertThatThrownBy(() -> CertTable.decode(b)).hasMessageContaining("entries 0 (VCEK) and 1 (ASK) overlap");
    }

    @Test
    void rejectsDataOverlappingTheTable() {
        byte[] b = three().encode();
        LeBytes.putU32(b, 0x10, 0x50); // inside the terminator
        assertThatThrownBy(() -> CertTable.decode(b)).hasMessageContaining("overlaps the table itself");
    }

    @Test
    void rejectsDuplicateGuids() {
        byte[] b = three().encode();
        System.arraycopy(CertGuid.toBytes(CertGuid.VCEK), 0, b, 0x18, 16);
        assertThatThrownBy(() -> CertTable.decode(b)).hasMessageContaining("repeats guid VCEK");
        assertThatThrownBy(() -> CertTable.of(new CertEntry(CertGuid.ARK, ARK), new CertEntry(CertGuid.ARK, ASK)))
                .hasMessageContaining("guid ARK twice");
    }

    @Test
    void rejectsZeroLengthData() {
        byte[] b = three().encode();
        LeBytes.putU32(b, 0x14, 0);
        assertThatThrownBy(() -> CertTable.decode(b)).hasMessageContaining("entry 0 (VCEK) at 0x0 has length 0");
        assertThatThrownBy(() -> new CertEntry(CertGuid.VCEK, new byte[0])).hasMessageContaining("has no data");
    }

    @Test
    void rejectsNilGuidWithOffsetOrLength() {
        byte[] b = three().encode();
        LeBytes.putU32(b, 0x48 + 0x14, 5); // terminator with a length
        assertThatThrownBy(() -> CertTable.decode(b)).hasMessageContaining("has the nil guid but offset");
        assertThatThrownBy(() -> new CertEntry(CertGuid.NIL, ARK)).hasMessageContaining("nil guid");
    }

    @Test
    void entriesCompareByContent() {
        assertThat(new CertEntry(CertGuid.ARK, bytes(3, 1))).isEqualTo(new CertEntry(CertGuid.ARK, bytes(3, 1)))
                .hasSameHashCodeAs(new CertEntry(CertGuid.ARK, bytes(3, 1)));
        assertThat(new CertTable(List.of())).isEqualTo(CertTable.empty());
    }
}
