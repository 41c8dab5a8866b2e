package dev.snpsim.host.mgmt;

import dev.snpsim.abi.certs.CertTable;
import java.util.TreeMap;

/**
 * What the management tool keeps on disk across crashes (snphost's configuration and its
 * certificate cache): the VLEK it last loaded, the VCEK chains it has downloaded, and whether a
 * firmware change has not yet been followed by a blob rewrite. A restarted tool reads it and
 * finishes the rewrite, so the blob ends consistent with the firmware's key.
 */
final class MgmtJournal {
    /** The VLEK loaded at the PSP: who, which generation, which TCB, and its chain. */
    record LoadedVlek(String cspId, int generation, long tcb, CertTable table) {
    }

    LoadedVlek vlek;
    /** VCEK chains by reported TCB (unsigned), so a rewrite rarely needs AMD's rate-limited service. */
    final TreeMap<Long, CertTable> vcekChains = new TreeMap<>(Long::compareUnsigned);
    /** A firmware command changed the key and the blob has not been rewritten since. */
    boolean blobStale;
}
