package dev.snpsim.abi.certs;

import static dev.snpsim.abi.certs.CertTableLayout.ENTRY_GUID;
import static dev.snpsim.abi.certs.CertTableLayout.ENTRY_LENGTH;
import static dev.snpsim.abi.certs.CertTableLayout.ENTRY_OFFSET;
import static dev.snpsim.abi.certs.CertTableLayout.ENTRY_SIZE;
import static dev.snpsim.abi.certs.CertTableLayout.PAGE_SIZE;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A certificate table (GHCB spec, "Certificate Table"; SPEC.md section 8):
 *
 * <pre>
 *   0x00  GUID[16] | OFFSET u32 | LENGTH u32      entry 0
 *   0x18  GUID[16] | OFFSET u32 | LENGTH u32      entry 1
 *   ...   all-zero 24-byte entry                  terminator
 *   ...   certificate data; OFFSET counts from the start of the buffer
 * </pre>
 *
 * {@link #encode()} lays the data out right after the terminator, in entry order. An
 * empty table is the terminator alone (24 zero bytes), which is what KVM writes when no
 * host userspace supplies certificates.
 */
public record CertTable(List<CertEntry> entries) {

    public CertTable {
        if (entries == null) {
            throw new AbiException("certificate table entries are missing");
        }
        entries = List.copyOf(entries);
        Set<UUID> seen = new HashSet<>();
        for (CertEntry e : entries) {
            if (!seen.add(e.guid())) {
                throw AbiException.of("certificate table has guid %s twice", CertGuid.nameOf(e.guid()));
            }
        }
    }

    /** The table with no certificates. */
    public static CertTable empty() {
        return new CertTable(List.of());
    }

    /** A table of the given entries, in order. */
    public static CertTable of(CertEntry... entries) {
        return new CertTable(List.of(entries));
    }

    /** The data of the entry with this GUID (a copy). */
    public Optional<byte[]> find(UUID guid) {
        return entries.stream().filter(e -> e.guid().equals(guid)).findFirst().map(CertEntry::data);
    }

    /**
     * Whether the entry with this GUID holds exactly {@code data}, without copying it; with
     * {@code data} null, whether the table has no such entry.
     */
    public boolean entryEquals(UUID guid, byte[] data) {
        for (CertEntry e : entries) {
            if (e.guid().equals(guid)) {
                return data != null && java.util.Arrays.equals(e.dataUnsafe(), data);
            }
        }
        return data == null;
    }

    /** Bytes of the encoding: entries, terminator, data. */
    public int encodedSize() {
        long size = (long) (entries.size() + 1) * ENTRY_SIZE;
        for (CertEntry e : entries) {
            size += e.length();
        }
        if (size > Integer.MAX_VALUE) {
            throw AbiException.of("certificate table would be %d bytes (too large)", size);
        }
        return (int) size;
    }

    /** 4 KiB guest pages needed to hold the encoding. */
    public int pagesNeeded() {
        return (encodedSize() + PAGE_SIZE - 1) / PAGE_SIZE;
    }

    public byte[] encode() {
        byte[] out = new byte[encodedSize()];
        int dataOffset = (entries.size() + 1) * ENTRY_SIZE;
        for (int i = 0; i < entries.size(); i++) {
            CertEntry e = entries.get(i);
            int at = i * ENTRY_SIZE;
            System.arraycopy(CertGuid.toBytes(e.guid()), 0, out, at + ENTRY_GUID, CertGuid.SIZE);
            LeBytes.putU32(out, at + ENTRY_OFFSET, dataOffset);
            LeBytes.putU32(out, at + ENTRY_LENGTH, e.length());
            System.arraycopy(e.dataUnsafe(), 0, out, dataOffset, e.length());
            dataOffset += e.length();
        }
        return out;
    }

    /**
     * Whether {@code buf} holds exactly this table's encoding followed by zeros only (as a
     * guest's certificate pages do), so that {@link #decode} of it would give this table;
     * compares without allocating the encoding.
     */
    public boolean isEncodingOf(byte[] buf) {
        int size = encodedSize();
        if (buf == null || buf.length < size) {
            return false;
        }
        int dataOffset = (entries.size() + 1) * ENTRY_SIZE;
        for (int i = 0; i < entries.size(); i++) {
            CertEntry e = entries.get(i);
            int at = i * ENTRY_SIZE;
            if (!CertGuid.fromBytes(buf, at + ENTRY_GUID).equals(e.guid()) || LeBytes.u32(buf, at + ENTRY_OFFSET) != dataOffset
                    || LeBytes.u32(buf, at + ENTRY_LENGTH) != e.length()
                    || !java.util.Arrays.equals(buf, dataOffset, dataOffset + e.length(), e.dataUnsafe(), 0, e.length())) {
                return false;
            }
            dataOffset += e.length();
        }
        int terminator = entries.size() * ENTRY_SIZE;
        return LeBytes.isZero(buf, terminator, terminator + ENTRY_SIZE) && LeBytes.isZero(buf, size, buf.length);
    }

    /**
     * Decodes a table from a buffer that may be larger than the table (guest pages with
     * trailing zeros). Rejects: no terminator inside the buffer, a nil GUID with a non-zero
     * offset or length, zero-length data, data outside the buffer, data overlapping the
     * table itself or another entry's data, and a GUID named twice.
     */
    public static CertTable decode(byte[] buf) {
        if (buf == null) {
            throw new AbiException("certificate table buffer is missing");
        }
        List<long[]> raw = new ArrayList<>(); // {index, offset, length}
        List<UUID> guids = new ArrayList<>();
        int at = 0;
        while (true) {
            if (at + ENTRY_SIZE > buf.length) {
                throw AbiException.of("certificate table has no all-zero terminator within %d bytes (entry %d at 0x%x)",
                        buf.length, raw.size(), at);
            }
            UUID guid = CertGuid.fromBytes(buf, at + ENTRY_GUID);
            long offset = Integer.toUnsignedLong(LeBytes.u32(buf, at + ENTRY_OFFSET));
            long length = Integer.toUnsignedLong(LeBytes.u32(buf, at + ENTRY_LENGTH));
            if (guid.equals(CertGuid.NIL)) {
                if (offset != 0 || length != 0) {
                    throw AbiException.of("certificate table entry %d at 0x%x has the nil guid but offset 0x%x, length 0x%x"
                            + " (expected: all zero)", raw.size(), at, offset, length);
                }
                break;
            }
            raw.add(new long[] {raw.size(), offset, length});
            guids.add(guid);
            at += ENTRY_SIZE;
        }
        int tableEnd = at + ENTRY_SIZE;
        Set<UUID> seen = new HashSet<>();
        for (long[] r : raw) {
            int i = (int) r[0];
            UUID guid = guids.get(i);
            String name = CertGuid.nameOf(guid);
            if (!seen.add(guid)) {
                throw AbiException.of("certificate table entry %d at 0x%x repeats guid %s", i, i * ENTRY_SIZE, name);
            }
            if (r[2] == 0) {
                throw AbiException.of("certificate table entry %d (%s) at 0x%x has length 0", i, name, i * ENTRY_SIZE);
            }
            if (r[1] < tableEnd) {
                throw AbiException.of("certificate table entry %d (%s): offset 0x%x overlaps the table itself"
                        + " (expected: at least 0x%x)", i, name, r[1], tableEnd);
            }
            if (r[1] + r[2] > buf.length) {
                throw AbiException.of("certificate table entry %d (%s): data [0x%x:0x%x] runs past the %d-byte buffer",
                        i, name, r[1], r[1] + r[2], buf.length);
            }
        }
        List<long[]> byOffset = new ArrayList<>(raw);
        byOffset.sort(Comparator.comparingLong((long[] r) -> r[1]).thenComparingLong(r -> r[0]));
        for (int k = 1; k < byOffset.size(); k++) {
            long[] prev = byOffset.get(k - 1);
            long[] cur = byOffset.get(k);
            if (cur[1] < prev[1] + prev[2]) {
                throw AbiException.of("certificate table entries %d (%s) and %d (%s) overlap: [0x%x:0x%x] and [0x%x:0x%x]",
                        prev[0], CertGuid.nameOf(guids.get((int) prev[0])), cur[0],
                        CertGuid.nameOf(guids.get((int) cur[0])), prev[1], prev[1] + prev[2], cur[1], cur[1] + cur[2]);
            }
        }
        List<CertEntry> entries = new ArrayList<>(raw.size());
        for (long[] r : raw) {
            entries.add(new CertEntry(guids.get((int) r[0]), LeBytes.slice(buf, (int) r[1], (int) r[2])));
        }
        return new CertTable(entries);
    }

    @Override
    public String toString() {
        return "CertTable" + entries.stream().map(CertEntry::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
