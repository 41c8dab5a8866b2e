package dev.snpsim.host.nativekvm;

import com.sun.jna.Pointer;
import java.util.List;
import java.util.Locale;

/**
 * A bounds-checked view of a {@link NativeVm}'s guest memory (guest physical addresses
 * 0 .. size). Reads may touch any byte of the VM; writes only the view's writable windows
 * (for a guest request: its certificate buffer and its response page). A view stops working
 * once revoked (when the request it was lent for is answered, or the VM closes), so a late
 * write can neither corrupt a guest that moved on nor touch unmapped memory. Every refusal is
 * a {@link KvmException} naming the address, the length and the allowed ranges.
 */
public final class GuestMemory {
    /** A writable range {@code [gpa, gpa + length)} with a name for error messages. */
    public record Window(String name, long gpa, long length) {
        boolean contains(long start, long len) {
            return start >= gpa && len >= 0 && start + len <= gpa + length;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s [0x%x, 0x%x)", name, gpa, gpa + length);
        }
    }

    private final HostMapping mapping;
    private final List<Window> writable;
    private final String owner;
    private boolean revoked;

    GuestMemory(HostMapping mapping, List<Window> writable, String owner) {
        this.mapping = mapping;
        this.writable = List.copyOf(writable);
        this.owner = owner;
        for (Window w : this.writable) {
            if (!inside(w.gpa, w.length)) {
                throw KvmException.of("%s of %s lies outside guest memory (0x%x bytes)", w, owner,
                        mapping.size());
            }
        }
    }

    /** Bytes of guest memory. */
    public long size() {
        return mapping.size();
    }

    /** The ranges this view may write. */
    public List<Window> writableWindows() {
        return writable;
    }

    /** Copies {@code length} bytes from guest physical address {@code gpa}. */
    public synchronized byte[] read(long gpa, int length) {
        checkUsable("read", gpa, length);
        if (!inside(gpa, length)) {
            throw KvmException.of("read of 0x%x bytes at gpa 0x%x is outside guest memory (0x%x bytes)",
                    length, gpa, mapping.size());
        }
        return mapping.pointer().getByteArray(gpa, length);
    }

    /** The little-endian u64 at {@code gpa}. */
    public long readLong(long gpa) {
        byte[] b = read(gpa, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    /** The little-endian u32 at {@code gpa}, unsigned. */
    public long readInt(long gpa) {
        byte[] b = read(gpa, 4);
        return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
    }

    /** Writes {@code data} at {@code gpa}, which with its length must lie in one writable window. */
    public synchronized void write(long gpa, byte[] data) {
        checkUsable("write", gpa, data.length);
        for (Window w : writable) {
            if (w.contains(gpa, data.length)) {
                mapping.pointer().write(gpa, data, 0, data.length);
                return;
            }
        }
        throw KvmException.of("write of 0x%x bytes at gpa 0x%x refused: outside %s (%s)",
                data.length, gpa, writable.isEmpty() ? "any writable window" : "the writable windows",
                writable.isEmpty() ? "view is read-only" : writable.toString());
    }

    /** Ends this view: later reads and writes are refused. */
    synchronized void revoke() {
        revoked = true;
    }

    private void checkUsable(String op, long gpa, int length) {
        if (revoked || mapping.isClosed()) {
            throw KvmException.of("%s of 0x%x bytes at gpa 0x%x refused: the guest memory view of %s"
                    + " is no longer valid", op, length, gpa, owner);
        }
        if (length < 0) {
            throw KvmException.of("%s length %d at gpa 0x%x is negative", op, length, gpa);
        }
    }

    private boolean inside(long gpa, long length) {
        return gpa >= 0 && length >= 0 && gpa <= mapping.size() - length;
    }

    /** Reads the raw pointer for the runner (same package); callers check bounds themselves. */
    Pointer pointer() {
        return mapping.pointer();
    }
}
