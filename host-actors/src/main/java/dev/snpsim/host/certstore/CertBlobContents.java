package dev.snpsim.host.certstore;

import dev.snpsim.abi.certs.CertTable;

/**
 * A blob as read: its exact bytes (copied to the guest as they are) and the checked table.
 */
public record CertBlobContents(byte[] bytes, CertTable table) {
    public CertBlobContents {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertBlobContents c && java.util.Arrays.equals(bytes, c.bytes) && table.equals(c.table);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "CertBlobContents(" + bytes.length + " bytes, " + table + ")";
    }

    /** Length in bytes without copying. */
    public int length() {
        return bytes.length;
    }
}
