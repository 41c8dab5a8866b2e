package dev.snpsim.host.certstore;

import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.host.kvm.GuestMemory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Not a test: a main that measures the VMM's certificate path per request (read the blob file,
 * answer the store's reply, write it into the guest's buffer), the former copying path against
 * the current one, alternating in one process. Prints bytes allocated and nanoseconds per
 * request. Run from the test classpath:
 * {@code java -cp <test-classes>:<classes>:<deps> dev.snpsim.host.certstore.CertPathAllocation [iterations [nowipe]]}.
 */
public final class CertPathAllocation {
    private static final long BUF = 0x10000;

    private CertPathAllocation() {
    }

    /** The path as it was: readAllBytes, the contents' copy, its accessor's, the reply's, the VMM's. */
    private static final class Former {
        private final Path path;
        private byte[] lastChecked;
        private CertTable lastTable;

        Former(Path path) {
            this.path = path;
        }

        int request(GuestMemory memory) throws IOException {
            if (Files.size(path) > CertBlobFile.MAX_BYTES) {
                throw new IllegalStateException("too large");
            }
            byte[] bytes = Files.readAllBytes(path);
            if (!Arrays.equals(bytes, lastChecked)) {
                lastTable = CertBlobFile.check(bytes);
                lastChecked = bytes.clone();
            }
            CertBlobContents c = new CertBlobContents(bytes, lastTable);
            CertStore.ReadReply r = new CertStore.ReadReply(1, CertStore.ReadStatus.OK, c.bytes(), "");
            byte[] blob = r.bytes();
            memory.hostWrite(BUF, blob);
            return blob.length;
        }
    }

    private static int current(CertBlobFile file, GuestMemory memory) {
        CertStore.ReadReply r = CertStore.ReadReply.ok(1, file.readChecked());
        memory.hostWrite(BUF, r.view());
        return r.length();
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        boolean wipe = args.length <= 1 || !args[1].equals("nowipe");
        Path dir = Files.createTempDirectory("certpath");
        Path p = dir.resolve("certs.blob");
        // about the size of the reference scenario's blob (~5 KB): ARK, ASK, VLEK and more entries
        java.util.List<CertEntry> entries = new java.util.ArrayList<>(TestCerts.vlekTable(1).entries());
        for (int i = 0; CertTable.of(entries.toArray(CertEntry[]::new)).encodedSize() < 5000; i++) {
            entries.add(new CertEntry(new java.util.UUID(0x5eed, i), TestCerts.selfSigned("extra-" + i, 500 + i)));
        }
        CertTable table = CertTable.of(entries.toArray(CertEntry[]::new));
        new CertBlobFile(p).writeAtomically(table);
        System.out.println("blob " + Files.size(p) + " bytes, guest buffer wiped between requests: " + wipe);
        GuestMemory memory = new GuestMemory(1 << 20);
        memory.setShared(BUF, 4, true);
        Former former = new Former(p);
        CertBlobFile file = new CertBlobFile(p);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        double[] ratio = new double[6];
        for (int round = 0; round < 6; round++) {
            long a0 = mx.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += former.request(memory);
                if (wipe) {
                    memory.guestZero(BUF, 4 * GuestMemory.PAGE_SIZE);   // the guest wipes its buffer before each request
                }
            }
            long t1 = System.nanoTime();
            long a1 = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                sink += current(file, memory);
                if (wipe) {
                    memory.guestZero(BUF, 4 * GuestMemory.PAGE_SIZE);
                }
            }
            long t2 = System.nanoTime();
            long a2 = mx.getCurrentThreadAllocatedBytes();
            double fb = (a1 - a0) / (double) n;
            double cb = (a2 - a1) / (double) n;
            double ft = (t1 - t0) / (double) n;
            double ct = (t2 - t1) / (double) n;
            ratio[round] = ct / ft;
            System.out.printf("round %d  former %8.0f B %7.0f ns   current %8.0f B %7.0f ns   alloc ratio %.3f  time ratio %.3f%n",
                    round, fb, ft, cb, ct, cb / fb, ct / ft);
        }
        Arrays.sort(ratio);
        System.out.printf("median time ratio current/former %.3f (sink %d)%n", (ratio[2] + ratio[3]) / 2, sink);
        Files.deleteIfExists(p);
        Files.deleteIfExists(dir);
    }
}
