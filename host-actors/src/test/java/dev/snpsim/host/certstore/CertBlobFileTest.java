package dev.snpsim.host.certstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertBlobFileTest {

    @TempDir
    Path dir;

    private static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void writeThenReadRoundTripsTheTable() {
        CertBlobFile blob = new CertBlobFile(dir.resolve("certs.blob"));
        CertTable table = TestCerts.vlekTable(1);
        blob.writeAtomically(table);
        assertThat(blob.read()).isEqualTo(table);
        CertBlobContents c = blob.readContents();
        assertThat(c.bytes()).isEqualTo(table.encode());
        assertThat(c.table()).isEqualTo(table);
    }

    @Test
    void blobIsTheGhcbTableFormatOnDisk() throws IOException {
        Path p = dir.resolve("certs.blob");
        CertTable table = TestCerts.vlekTable(1);
        new CertBlobFile(p).writeAtomically(table);
        byte[] raw = Files.readAllBytes(p);
        // entry 0: ARK guid at 0x00, then offset u32 at 0x10, length u32 at 0x14
        assertThat(CertGuid.fromBytes(raw, 0)).isEqualTo(CertGuid.ARK);
        assertThat(raw).isEqualTo(table.encode());
    }

    @Test
    void emptyTableIsAValidBlob() {
        CertBlobFile blob = new CertBlobFile(dir.resolve("empty.blob"));
        blob.writeAtomically(CertTable.empty());
        assertThat(blob.read().entries()).isEmpty();
    }

    @Test
    void rewriteReplacesTheWholeBlob() throws IOException {
        CertBlobFile blob = new CertBlobFile(dir.resolve("certs.blob"));
        blob.writeAtomically(TestCerts.vlekTable(1));
        blob.writeAtomically(TestCerts.vlekTable(2));
        assertThat(blob.read()).isEqualTo(TestCerts.vlekTable(2));
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void missingBlobIsUnreadable() {
        CertBlobFile blob = new CertBlobFile(dir.resolve("none.blob"));
        assertThat(blob.exists()).isFalse();
        assertThatThrownBy(blob::read)
                .isInstanceOfSatisfying(CertBlobException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.UNREADABLE))
                .hasMessageEndingWith("none.blob does not exist");
    }

    @Test
    void truncatedBlobIsCorrupt() throws IOException {
        Path p = dir.resolve("certs.blob");
        CertBlobFile blob = new CertBlobFile(p);
        blob.writeAtomically(TestCerts.vlekTable(1));
        byte[] raw = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(raw, raw.length - 100));
        assertThatThrownBy(blob::read)
                .isInstanceOfSatisfying(CertBlobException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.CORRUPT))
                .hasMessageStartingWith("certificate blob is corrupt: ")
                .hasMessageContaining("runs past");
    }

    @Test
    void entryThatIsNotDerIsCorrupt() throws IOException {
        Path p = dir.resolve("certs.blob");
        CertTable table = CertTable.of(new CertEntry(CertGuid.ARK, TestCerts.selfSigned("ARK", 1)),
                new CertEntry(CertGuid.VCEK, TestCerts.selfSigned("VCEK", 3)));
        Files.write(p, table.encode());
        CertBlobFile blob = new CertBlobFile(p);
        assertThat(blob.read()).isEqualTo(table);
        // flip the DER tag of the VCEK's data: the table is intact, the certificate is not
        byte[] raw = Files.readAllBytes(p);
        int vcekOffset = java.nio.ByteBuffer.wrap(raw, 24 + 16, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        raw[vcekOffset] = 0x05;
        Files.write(p, raw);
        assertThatThrownBy(blob::read)
                .isInstanceOfSatisfying(CertBlobException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.CORRUPT))
                .hasMessageStartingWith("certificate blob entry VCEK (")
                .hasMessageContaining("does not parse as DER X.509");
    }

    @Test
    void everyReadChecksBytesThatChangedEvenBackAndForth() throws IOException {
        Path p = dir.resolve("certs.blob");
        CertTable table = CertTable.of(new CertEntry(CertGuid.ARK, TestCerts.selfSigned("ARK", 1)),
                new CertEntry(CertGuid.VCEK, TestCerts.selfSigned("VCEK", 3)));
        byte[] good = table.encode();
        byte[] bad = good.clone();
        int vcekOffset = java.nio.ByteBuffer.wrap(bad, 24 + 16, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        bad[vcekOffset] = 0x05;
        CertBlobFile blob = new CertBlobFile(p);
        for (int round = 0; round < 2; round++) {
            Files.write(p, good);
            assertThat(blob.read()).isEqualTo(table);
            assertThat(blob.readContents().bytes()).isEqualTo(good);
            Files.write(p, bad);
            assertThatThrownBy(blob::read).hasMessageStartingWith("certificate blob entry VCEK (");
            assertThatThrownBy(blob::read).as("the same corrupt bytes again").hasMessageStartingWith(
                    "certificate blob entry VCEK (");
        }
        CertTable next = TestCerts.vlekTable(2);
        Files.write(p, next.encode());
        assertThat(blob.read()).isEqualTo(next);
    }

    @Test
    void crlEntryIsCheckedAsACrl() throws IOException {
        Path p = dir.resolve("certs.blob");
        CertTable withCrl = CertTable.of(new CertEntry(CertGuid.ARK, TestCerts.selfSigned("ARK", 1)),
                new CertEntry(CertGuid.CRL, TestCerts.crl(9)));
        Files.write(p, withCrl.encode());
        assertThat(new CertBlobFile(p).read()).isEqualTo(withCrl);
        // a certificate under the CRL guid is not a CRL
        Files.write(p, CertTable.of(new CertEntry(CertGuid.CRL, TestCerts.selfSigned("ARK", 1))).encode());
        assertThatThrownBy(() -> new CertBlobFile(p).read())
                .isInstanceOfSatisfying(CertBlobException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.CORRUPT))
                .hasMessageStartingWith("certificate blob entry CRL (")
                .hasMessageContaining("does not parse as DER X.509 CRL");
    }

    @Test
    void pemInsteadOfDerIsCorrupt() throws IOException {
        byte[] der = TestCerts.selfSigned("ARK", 1);
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
        Path p = dir.resolve("certs.blob");
        Files.write(p, CertTable.of(new CertEntry(CertGuid.ARK, pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .encode());
        assertThatThrownBy(() -> new CertBlobFile(p).read())
                .isInstanceOfSatisfying(CertBlobException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.CORRUPT))
                .hasMessageStartingWith("certificate blob entry ARK (")
                .hasMessageContaining("are not the DER object at its start");
    }

    @Test
    void trailingBytesAfterTheCertificateAreCorrupt() throws IOException {
        byte[] der = TestCerts.selfSigned("VCEK", 3);
        byte[] padded = java.util.Arrays.copyOf(der, der.length + 4);
        Path p = dir.resolve("certs.blob");
        Files.write(p, CertTable.of(new CertEntry(CertGuid.VCEK, padded)).encode());
        assertThatThrownBy(() -> new CertBlobFile(p).read())
                .isInstanceOfSatisfying(CertBlobException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.CORRUPT))
                .hasMessage("certificate blob entry VCEK (" + padded.length
                        + " bytes) does not parse as DER X.509: 4 of its bytes are not the DER object at its start");
    }

    @Test
    void garbageIsCorrupt() throws IOException {
        Path p = dir.resolve("certs.blob");
        Files.write(p, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> new CertBlobFile(p).read())
                .isInstanceOfSatisfying(CertBlobException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.CORRUPT));
    }

    @Test
    void oversizedBlobIsRefusedBeforeReading() throws IOException {
        Path p = dir.resolve("certs.blob");
        Files.write(p, new byte[CertBlobFile.MAX_BYTES + 1]);
        assertThatThrownBy(() -> new CertBlobFile(p).read())
                .isInstanceOfSatisfying(CertBlobException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.CORRUPT))
                .hasMessageContaining("(expected: at most 0x100000)");
    }

    @Test
    void failedRenameLeavesWhatWasThereAndNoTemp() throws IOException {
        // a non-empty directory where the blob should be: rename(2) fails, as on a read-only mount
        Path p = Files.createDirectory(dir.resolve("certs.blob"));
        Path inside = Files.write(p.resolve("keep"), new byte[] {7});
        CertBlobFile blob = new CertBlobFile(p);
        assertThatThrownBy(() -> blob.writeAtomically(TestCerts.vlekTable(2)))
                .isInstanceOfSatisfying(CertBlobException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.UNWRITABLE))
                .hasMessageContaining("could not be rewritten");
        assertThat(Files.readAllBytes(inside)).containsExactly(7);
        assertThat(tempFiles()).isEmpty();
        assertThatThrownBy(blob::read).isInstanceOfSatisfying(CertBlobException.class,
                e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.UNREADABLE));
    }

    @ParameterizedTest
    @EnumSource(CertBlobFile.WriteStep.class)
    void crashAtAnyStepLeavesTheOldOrTheNewBlobAndReopenCleansTemps(CertBlobFile.WriteStep crashAt) throws IOException {
        Path p = dir.resolve("certs.blob");
        CertTable old = TestCerts.vlekTable(1);
        CertTable next = TestCerts.vlekTable(2);
        CertBlobFile blob = new CertBlobFile(p);
        blob.writeAtomically(old);
        blob.stepHook(step -> {
            if (step == crashAt) {
                throw new SimulatedCrash();
            }
        });
        assertThatThrownBy(() -> blob.writeAtomically(next)).isInstanceOf(SimulatedCrash.class);

        CertBlobFile reopened = new CertBlobFile(p); // the restarted process
        CertTable seen = reopened.read();
        if (crashAt == CertBlobFile.WriteStep.RENAMED) {
            assertThat(seen).isEqualTo(next);
        } else {
            assertThat(seen).isEqualTo(old);
        }
        assertThat(tempFiles()).isEmpty();
        reopened.writeAtomically(next);
        assertThat(reopened.read()).isEqualTo(next);
    }

    @Test
    void repeatedCrashesDoNotAccumulateTemps() throws IOException {
        Path p = dir.resolve("certs.blob");
        new CertBlobFile(p).writeAtomically(TestCerts.vlekTable(1));
        for (int i = 0; i < 5; i++) {
            CertBlobFile blob = new CertBlobFile(p);
            blob.stepHook(step -> {
                if (step == CertBlobFile.WriteStep.FORCED) {
                    throw new SimulatedCrash();
                }
            });
            assertThatThrownBy(() -> blob.writeAtomically(TestCerts.vlekTable(2))).isInstanceOf(SimulatedCrash.class);
            assertThat(tempFiles()).hasSize(1);
        }
        new CertBlobFile(p);
        assertThat(tempFiles()).isEmpty();
        assertThat(Files.exists(p)).isTrue();
    }

    @Test
    void otherFilesInTheDirectoryAreLeftAlone() throws IOException {
        Path other = Files.write(dir.resolve(".other.blob.tmp-1"), new byte[] {1});
        new CertBlobFile(dir.resolve("certs.blob"));
        assertThat(Files.exists(other)).isTrue();
    }

    private java.util.List<Path> tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith(".certs.blob.tmp-")).toList();
        }
    }

    @Test
    void unchangedBytesAreReadAgainButShareTheLastGoodArray() throws IOException {
        Path p = dir.resolve("certs.blob");
        CertBlobFile blob = new CertBlobFile(p);
        blob.writeAtomically(TestCerts.vlekTable(1));
        byte[] first = blob.readChecked();
        assertThat(first).isEqualTo(TestCerts.vlekTable(1).encode());
        assertThat(blob.readChecked()).as("same bytes: the last good array again").isSameAs(first);
        assertThat(blob.lastTable()).isEqualTo(TestCerts.vlekTable(1));
        Files.delete(p);
        assertThatThrownBy(blob::readChecked).as("the file is read every time")
                .isInstanceOfSatisfying(CertBlobException.class,
                        e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.UNREADABLE));
        Files.write(p, TestCerts.vlekTable(1).encode());
        assertThat(blob.readChecked()).isSameAs(first);
        assertThat(blob.readContents().bytes()).as("a copy, not the shared array")
                .isNotSameAs(first).isEqualTo(first);
    }

    @Test
    void aQuickRewriteOfTheSameSizeIsSeenOnTheNextRead() throws IOException {
        // same length, different bytes, likely the same mtime: nothing may be cached by file time
        byte[] x = TestCerts.selfSigned("ARK", 1);
        byte[] y = TestCerts.selfSigned("VCEK", 3);
        CertTable one = CertTable.of(new CertEntry(CertGuid.ARK, x), new CertEntry(CertGuid.VCEK, y));
        CertTable two = CertTable.of(new CertEntry(CertGuid.ARK, y), new CertEntry(CertGuid.VCEK, x));
        assertThat(two.encode()).hasSameSizeAs(one.encode()).isNotEqualTo(one.encode());
        Path p = dir.resolve("certs.blob");
        CertBlobFile blob = new CertBlobFile(p);
        for (int round = 0; round < 3; round++) {
            Files.write(p, one.encode());
            assertThat(blob.readChecked()).isEqualTo(one.encode());
            assertThat(blob.lastTable()).isEqualTo(one);
            Files.write(p, two.encode());
            assertThat(blob.readChecked()).isEqualTo(two.encode());
            assertThat(blob.read()).isEqualTo(two);
        }
    }

    @Test
    void aBlobLargerThanTheReadBufferIsReadWhole() throws IOException {
        CertEntry[] entries = new CertEntry[40];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new CertEntry(new java.util.UUID(0x5eed, i + 1), TestCerts.selfSigned("C" + i, 1000 + i));
        }
        CertTable big = CertTable.of(entries);
        assertThat(big.encode().length).as("larger than the first read buffer").isGreaterThan(8192);
        Path p = dir.resolve("certs.blob");
        CertBlobFile blob = new CertBlobFile(p);
        Files.write(p, TestCerts.vlekTable(1).encode());
        assertThat(blob.read()).isEqualTo(TestCerts.vlekTable(1));
        Files.write(p, big.encode());
        assertThat(blob.readContents().bytes()).isEqualTo(big.encode());
        Files.write(p, TestCerts.vlekTable(2).encode());   // and smaller again
        assertThat(blob.readContents().bytes()).isEqualTo(TestCerts.vlekTable(2).encode());
    }

    @Test
    void aBlobReplacedByAnotherWritersRenameIsSeenOnTheNextRead() throws IOException {
        Path p = dir.resolve("certs.blob");
        CertBlobFile blob = new CertBlobFile(p);
        CertBlobFile other = new CertBlobFile(p);   // the management tool's own handle
        for (int round = 1; round <= 3; round++) {
            other.writeAtomically(TestCerts.vlekTable(round));
            assertThat(blob.read()).as("round %d", round).isEqualTo(TestCerts.vlekTable(round));
        }
        Path staged = dir.resolve("staged");
        Files.write(staged, TestCerts.vlekTable(7).encode());
        Files.move(staged, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(blob.read()).as("a plain mv over the blob").isEqualTo(TestCerts.vlekTable(7));
        blob.writeAtomically(TestCerts.vlekTable(8));
        assertThat(blob.read()).as("its own rewrite").isEqualTo(TestCerts.vlekTable(8));
        assertThat(other.read()).isEqualTo(TestCerts.vlekTable(8));
    }

    @Test
    void aDeletedBlobIsUnreadableUntilItIsWrittenAgain() throws IOException {
        Path p = dir.resolve("certs.blob");
        CertBlobFile blob = new CertBlobFile(p);
        blob.writeAtomically(TestCerts.vlekTable(1));
        assertThat(blob.read()).isEqualTo(TestCerts.vlekTable(1));
        Files.delete(p);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(blob::read).as("the open file was deleted: its bytes are not served")
                    .isInstanceOfSatisfying(CertBlobException.class,
                            e -> assertThat(e.kind()).isEqualTo(CertBlobException.Kind.UNREADABLE))
                    .hasMessageEndingWith("certs.blob does not exist");
        }
        Files.write(p, TestCerts.vlekTable(2).encode());
        assertThat(blob.read()).isEqualTo(TestCerts.vlekTable(2));
    }

    @Test
    void readsKeepOneDescriptorOpenAndCloseReleasesIt() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds),
                "needs /proc/self/fd to count open descriptors (Linux)");
        Path p = dir.resolve("certs.blob");
        CertBlobFile blob = new CertBlobFile(p);
        CertBlobFile writer = new CertBlobFile(p);
        writer.writeAtomically(TestCerts.vlekTable(1));
        assertThat(descriptorsOf(p)).isZero();
        for (int i = 0; i < 300; i++) {
            blob.readChecked();
            if (i % 30 == 0) {
                writer.writeAtomically(TestCerts.vlekTable(1 + i / 30));   // a new file each time
            }
            if (i % 30 == 15) {
                Files.write(p, TestCerts.vlekTable(100 + i).encode());     // the same file, rewritten
            }
        }
        assertThat(descriptorsOf(p)).as("replaced files are closed, not leaked").isEqualTo(1);
        blob.close();
        assertThat(descriptorsOf(p)).isZero();
        blob.close();   // idempotent
        assertThat(blob.read()).as("a closed blob opens again on the next read")
                .isEqualTo(TestCerts.vlekTable(100 + 285));
        blob.close();
    }

    /** Descriptors of this process open on the blob at {@code p}, or on a file deleted or replaced there. */
    private static long descriptorsOf(Path p) throws IOException {
        String name = p.toAbsolutePath().toString();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return "";   // closed while listed (the listing's own descriptor)
                }
            }).filter(target -> target.equals(name) || target.equals(name + " (deleted)")).count();
        }
    }
}
