package dev.snpsim.host.certstore;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.certs.CertEntry;
import dev.snpsim.abi.certs.CertGuid;
import dev.snpsim.abi.certs.CertTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.util.Arrays;

/**
 * The certificate blob on disk: a GHCB certificate table, the same bytes QEMU's
 * {@code certs-path} serves to guests and {@code snphost export} writes.
 *
 * <p>Reads check the table structure ({@link CertTable#decode}) and that every entry
 * parses as a DER X.509 certificate (a CRL under the CRL GUID), so a corrupt blob is
 * reported as {@link CertBlobException.Kind#CORRUPT} rather than handed to a guest.
 *
 * <p>Writes are atomic: the new table goes to a temporary file in the same directory
 * ({@code .<name>.tmp-<n>}), is forced to disk, renamed over the blob with
 * {@code ATOMIC_MOVE}, and the directory is fsynced where the platform allows. A crash
 * at any point leaves the old blob or the new one, never a mix; temporary files left by
 * a crash are deleted when the blob is next opened (constructed).
 *
 * <p>Not thread-safe: one owner (the CertStore actor) serializes access. Cross-process
 * exclusion is the OFD lock protocol's job, not this class's. Reads keep the blob open between
 * them ({@link #readChecked}); {@link #close} releases it.
 */
public final class CertBlobFile implements AutoCloseable {
    /** Larger blobs are refused as corrupt: a certificate table is a few KiB. */
    public static final int MAX_BYTES = 1 << 20;

    /** Points of {@link #writeAtomically} at which tests simulate a crash. */
    enum WriteStep { TEMP_CREATED, HALF_WRITTEN, WRITTEN, FORCED, RENAMED }

    /** Test hook: called at each step; a crash is simulated by throwing. */
    interface StepHook {
        void at(WriteStep step);
    }

    private final Path path;
    private final String tempPrefix;
    private StepHook hook = step -> { };
    private long tempSequence;
    private byte[] lastChecked;   // the bytes of the last read that passed the check (never modified), and its table
    private CertTable lastTable;
    private byte[] readBuffer = new byte[8192];  // each read's bytes, compared with lastChecked
    private ByteBuffer readView;                 // readBuffer as the channel reads into it
    private FileChannel channel;                 // the file last read, kept open; or null
    private Object channelKey;                   // its file key (device and inode)

    /** Opens the blob at {@code path} (it need not exist yet) and deletes stale temporary files. */
    public CertBlobFile(Path path) {
        if (path == null || path.getFileName() == null) {
            throw new IllegalArgumentException("certificate blob path is missing");
        }
        this.path = path.toAbsolutePath();
        this.tempPrefix = "." + this.path.getFileName() + ".tmp-";
        removeStaleTemps();
    }

    public Path path() {
        return path;
    }

    public boolean exists() {
        return Files.isRegularFile(path);
    }

    void stepHook(StepHook hook) {
        this.hook = hook;
    }

    /** Reads and checks the blob. */
    public CertTable read() {
        readChecked();
        return lastTable;
    }

    /** Reads and checks the blob, keeping its exact bytes (what a VMM copies to the guest). */
    public CertBlobContents readContents() {
        return new CertBlobContents(readChecked(), lastTable);
    }

    /**
     * Reads and checks the blob and returns its bytes <em>without a copy</em>: the array is this
     * file's record of the last good read, which the caller must not modify (the store passes it
     * on read-only). {@link #lastTable()} is its table.
     *
     * <p>Every call reads the whole file, as QEMU does under its lock, into a buffer kept between
     * reads; while the bytes equal those of the last read that passed, that read's array and
     * table are returned (parsing the certificates again is skipped: a VMM answers thousands of
     * requests per update). Nothing is cached by file time: a rewrite is seen on the next read.
     *
     * <p>The file stays open between reads, and each read looks the path up again first: while it
     * names the file already open, the read is one positional read of that file (a rewrite in
     * place is seen by it), and once it names another one (a blob replaced by a rename, ours or
     * another writer's) that one is opened and the old one closed. A read so costs a lookup and
     * a read where opening and closing the file cost twice as many system calls and a kernel file
     * object each time; what it returns is the same.
     */
    byte[] readChecked() {
        int n;
        try {
            n = readCurrent();
        } catch (NoSuchFileException e) {
            closeChannel();
            throw new CertBlobException(CertBlobException.Kind.UNREADABLE, "certificate blob " + path + " does not exist", e);
        } catch (IOException e) {
            closeChannel();
            throw new CertBlobException(CertBlobException.Kind.UNREADABLE,
                    "certificate blob " + path + " is unreadable: " + e.getMessage(), e);
        }
        byte[] last = lastChecked;
        if (last != null && last.length == n && Arrays.equals(readBuffer, 0, n, last, 0, n)) {
            return last;
        }
        byte[] bytes = Arrays.copyOf(readBuffer, n);
        CertTable table = check(bytes); // throws on a corrupt blob, keeping the last good one
        lastChecked = bytes;
        lastTable = table;
        return bytes;
    }

    /** The table of the bytes {@link #readChecked} last returned. */
    CertTable lastTable() {
        return lastTable;
    }

    /**
     * Reads the file the path names now into {@link #readBuffer}, returning its length: through
     * the channel kept open if the path still names its file, else through a new one.
     */
    private int readCurrent() throws IOException {
        BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
        Object key = now.fileKey();
        if (key == null) {   // a platform that cannot tell files apart: open the file for each read
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                return readFully(ch, -1);
            }
        }
        if (channel == null || !key.equals(channelKey)) {
            closeChannel();
            channel = openNamed(key);
            channelKey = key;
        }
        return readFully(channel, now.isRegularFile() ? now.size() : -1);
    }

    /**
     * Opens the path, which named the file {@code key} a moment ago, and makes sure the channel
     * reads that file: if a rename lands between the lookup and the open, the lookups before and
     * after the open differ and it is tried again.
     */
    private FileChannel openNamed(Object key) throws IOException {
        for (int attempt = 0; ; attempt++) {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            Object after;
            try {
                after = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            if (key.equals(after)) {
                return ch;
            }
            ch.close();
            if (attempt == 100) {
                throw new IOException("it is replaced faster than it can be opened");
            }
            key = after;
        }
    }

    private void closeChannel() {
        FileChannel ch = channel;
        channel = null;
        channelKey = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // a read-only descriptor: nothing was buffered that could be lost
            }
        }
    }

    /** Closes the file kept open between reads; the next read opens it again. Idempotent. */
    @Override
    public void close() {
        closeChannel();
    }

    /**
     * Reads the file from its start to its end into {@link #readBuffer} and returns its length,
     * with positional reads that leave the channel's position alone. A blob that fits the buffer
     * is read without asking its size; one that fills it is sized (and refused if larger than
     * {@link #MAX_BYTES} before more is read), the buffer grown, and read whole, even if it grew
     * since, as {@code Files.readAllBytes} does. Once the bytes read reach {@code size} (the length
     * a lookup just gave, or -1 for none) with room left in the buffer, the read ends there
     * instead of asking for more only to learn it is at the end: one system call, not two.
     */
    private int readFully(FileChannel ch, long size) throws IOException {
        int n = 0;
        while (true) {
            if (n == readBuffer.length) {
                long now = ch.size();
                if (now > MAX_BYTES || n > MAX_BYTES) {
                    throw tooLarge(Math.max(now, n));
                }
                readBuffer = Arrays.copyOf(readBuffer, (int) Math.min(Math.max(now + 1, 2L * n), MAX_BYTES + 1));
            }
            if (readView == null || readView.array() != readBuffer) {
                readView = ByteBuffer.wrap(readBuffer);
            }
            readView.limit(readBuffer.length).position(n);
            int r = ch.read(readView, n);
            if (r < 0) {
                return n;
            }
            n += r;
            if (size >= 0 && n >= size && n < readBuffer.length) {
                return n;
            }
        }
    }

    private CertBlobException tooLarge(long size) {
        return new CertBlobException(CertBlobException.Kind.CORRUPT, String.format(
                "certificate blob %s is %d bytes (expected: at most 0x%x)", path, size, MAX_BYTES), null);
    }

    /**
     * Decodes {@code bytes} as a blob and checks every entry, throwing
     * {@link CertBlobException.Kind#CORRUPT} with the reason.
     */
    public static CertTable check(byte[] bytes) {
        CertTable table;
        try {
            table = CertTable.decode(bytes);
        } catch (AbiException e) {
            throw new CertBlobException(CertBlobException.Kind.CORRUPT, "certificate blob is corrupt: " + e.getMessage(), e);
        }
        CertificateFactory x509;
        try {
            x509 = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("no X.509 certificate factory", e);
        }
        for (CertEntry e : table.entries()) {
            boolean crl = e.guid().equals(CertGuid.CRL);
            byte[] data = e.data();
            String problem;
            try {
                byte[] parsed = crl
                        ? ((X509CRL) x509.generateCRL(new ByteArrayInputStream(data))).getEncoded()
                        : x509.generateCertificate(new ByteArrayInputStream(data)).getEncoded();
                // the JDK also accepts PEM and ignores trailing bytes: the blob holds exactly one DER object
                problem = Arrays.equals(parsed, data) ? null
                        : String.format("%d of its bytes are not the DER object at its start", data.length - parsed.length);
            } catch (CertificateException | CRLException | RuntimeException ex) {
                problem = String.valueOf(ex.getMessage());
            }
            if (problem != null) {
                throw new CertBlobException(CertBlobException.Kind.CORRUPT, String.format(
                        "certificate blob entry %s (%d bytes) does not parse as DER %s: %s",
                        CertGuid.nameOf(e.guid()), e.length(), crl ? "X.509 CRL" : "X.509", problem), null);
            }
        }
        return table;
    }

    /** Replaces the blob with {@code table}: temporary file, fsync, atomic rename, directory fsync. */
    public void writeAtomically(CertTable table) {
        byte[] bytes = table.encode();
        Path temp = null;
        try {
            temp = createTemp();
            hook.at(WriteStep.TEMP_CREATED);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                int half = bytes.length / 2;
                writeFully(ch, ByteBuffer.wrap(bytes, 0, half));
                hook.at(WriteStep.HALF_WRITTEN);
                writeFully(ch, ByteBuffer.wrap(bytes, half, bytes.length - half));
                hook.at(WriteStep.WRITTEN);
                ch.force(true);
            }
            hook.at(WriteStep.FORCED);
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            hook.at(WriteStep.RENAMED);
            forceDirectory();
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new CertBlobException(CertBlobException.Kind.UNWRITABLE,
                    "certificate blob " + path + " could not be rewritten: " + e.getMessage(), e);
        }
    }

    private Path createTemp() throws IOException {
        while (true) {
            Path temp = path.resolveSibling(tempPrefix + (++tempSequence));
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                // left by a writer still running elsewhere: take the next number
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Makes the rename durable; some platforms cannot open a directory, which is not an error. */
    private void forceDirectory() {
        Path dir = path.getParent();
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the rename itself is atomic
        }
    }

    private void removeStaleTemps() {
        Path dir = path.getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, tempPrefix + "*")) {
            for (Path t : temps) {
                deleteQuietly(t);
            }
        } catch (IOException e) {
            // an unlistable directory will fail the first read or write with a clear message
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // removed on the next open
        }
    }
}
