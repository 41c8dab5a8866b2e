package dev.snpsim.abi.certs;

import dev.snpsim.abi.AbiException;
import java.util.Arrays;
import java.util.UUID;

/**
 * One certificate of a table: its GUID and its bytes (DER for certificates). The data is
 * copied in and out; equality compares contents.
 */
public record CertEntry(UUID guid, byte[] data) {
    public CertEntry {
        if (guid == null) {
            throw new AbiException("certificate entry guid is missing");
        }
        if (guid.equals(CertGuid.NIL)) {
            throw new AbiException("certificate entry guid is the nil guid (reserved for the terminator)");
        }
        if (data == null || data.length == 0) {
            throw AbiException.of("certificate entry %s has no data", CertGuid.nameOf(guid));
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Length of the data without copying it. */
    public int length() {
        return data.length;
    }

    byte[] dataUnsafe() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertEntry e && guid.equals(e.guid) && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return 31 * guid.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return CertGuid.nameOf(guid) + "(" + data.length + " bytes)";
    }
}
