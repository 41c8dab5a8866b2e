package dev.snpsim.host.kvm;

import dev.snpsim.abi.LeBytes;
import dev.snpsim.psp.firmware.SealedResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;

/**
 * One guest's physical memory in the simulation: sparse 4 KiB pages, each private
 * (encrypted to the guest; the RMP refuses host writes) or shared (the guest converted it
 * with a page-state change so the host can read and write it, as the GHCB and certificate
 * buffers must be).
 *
 * <p>This is the one object the guest's actors and the host's actors both touch, as both
 * touch the same DRAM on a real host; every method is synchronized so that the real-time
 * mode is safe too. Pages never written read as zeros, and take no heap: writing zeros to such
 * a page keeps it so (a guest wiping its certificate buffer before each request holds only the
 * pages the host has filled, and reuses them).
 */
public final class GuestMemory {
    public static final int PAGE_SIZE = 4096;

    private final long size;
    private final PageMap pages = new PageMap(); // keyed by frame number
    /**
     * Frames whose page in {@link #pages} reads as zeros whatever its array holds: a whole page
     * the guest zeroed keeps its array for the next write but is not filled now (the driver zeroes
     * 16 KiB of certificate buffer before every extended request and the host then fills a few
     * KiB). The first write to such a page zeroes the rest of it.
     */
    private final BitSet zeroed = new BitSet();
    private final BitSet shared = new BitSet();
    /** A page the host wrote whose bytes are still being computed, at [deferredGpa, +PAGE_SIZE); or null. */
    private SealedResponse deferred;
    private long deferredGpa;

    /** @param sizeBytes guest physical address space, a multiple of 4 KiB */
    public GuestMemory(long sizeBytes) {
        if (sizeBytes <= 0 || sizeBytes % PAGE_SIZE != 0 || sizeBytes / PAGE_SIZE > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("guest memory size " + sizeBytes + " is not a positive multiple of 4 KiB");
        }
        this.size = sizeBytes;
    }

    public long size() {
        return size;
    }

    /** True when [gpa, gpa+len) lies inside guest memory. */
    public boolean inRange(long gpa, long len) {
        return gpa >= 0 && len >= 0 && gpa <= size && len <= size - gpa;
    }

    /** Page-state change by the guest: makes {@code pages} pages from {@code gpa} shared or private. */
    public synchronized void setShared(long gpa, long pages, boolean isShared) {
        check(gpa, pages * PAGE_SIZE, "page state change");
        if ((gpa & (PAGE_SIZE - 1)) != 0) {
            throw new MemoryAccessException(String.format(Locale.ROOT, "page state change at 0x%x is not page aligned", gpa));
        }
        int first = (int) (gpa / PAGE_SIZE);
        shared.set(first, first + (int) pages, isShared);
    }

    /** True when every page overlapping [gpa, gpa+len) is shared. */
    public synchronized boolean isShared(long gpa, long len) {
        if (!inRange(gpa, len)) {
            return false;
        }
        if (len == 0) {
            return true;
        }
        int first = (int) (gpa / PAGE_SIZE);
        int last = (int) ((gpa + len - 1) / PAGE_SIZE);
        return shared.nextClearBit(first) > last;
    }

    /** The guest writes its own memory, private or shared. */
    public synchronized void guestWrite(long gpa, byte[] data) {
        check(gpa, data.length, "guest write");
        overwrite(gpa, data.length);
        copyIn(gpa, data);
    }

    /**
     * The guest zeroes {@code len} bytes of its own memory: the same as writing zeros. A page
     * never written stays without heap; a page that holds data keeps its heap: zeroed in place
     * where the range covers part of it, and only marked as zeros where it covers all of it (the
     * next write to it zeroes the rest). The driver zeroes its response page and certificate
     * buffer before every request and the host fills a few KiB of them right after, so dropping
     * such pages would only make the next write allocate them again (12 KiB of garbage per
     * extended report), and filling them would write 20 KiB that the host then overwrites.
     */
    public synchronized void guestZero(long gpa, int len) {
        check(gpa, len, "guest write");
        overwrite(gpa, len);
        int done = 0;
        while (done < len) {
            long addr = gpa + done;
            int frame = (int) (addr / PAGE_SIZE);
            byte[] page = live(frame);
            int off = (int) (addr % PAGE_SIZE);
            int n = Math.min(PAGE_SIZE - off, len - done);
            if (page != null) {
                if (n == PAGE_SIZE) {
                    zeroed.set(frame);
                } else {
                    Arrays.fill(page, off, off + n, (byte) 0);
                }
            }
            done += n;
        }
    }

    /** The guest reads its own memory. */
    public synchronized byte[] guestRead(long gpa, int len) {
        check(gpa, len, "guest read");
        settle(gpa, len);
        return copyOut(gpa, len, new byte[len], 0, true);
    }

    /**
     * The guest reads {@code len} bytes of its own memory into {@code into} at {@code off} (a
     * buffer it keeps, where {@link #guestRead(long, int)} would allocate one per read).
     */
    public synchronized void guestRead(long gpa, byte[] into, int off, int len) {
        check(gpa, len, "guest read");
        if (off < 0 || len < 0 || off > into.length - len) {
            throw new IndexOutOfBoundsException(String.format(Locale.ROOT,
                    "guest read of %d bytes into [%d:%d] of a %d-byte buffer", len, off, off + len, into.length));
        }
        settle(gpa, len);
        copyOut(gpa, len, into, off, false);
    }

    /** The guest reads the little-endian u32 at {@code gpa} of its own memory. */
    public synchronized int guestReadU32(long gpa) {
        check(gpa, 4, "guest read");
        settle(gpa, 4);
        int off = (int) (gpa % PAGE_SIZE);
        if (off <= PAGE_SIZE - 4) {
            byte[] page = live((int) (gpa / PAGE_SIZE));
            return page == null ? 0 : LeBytes.u32(page, off);
        }
        return LeBytes.u32(copyOut(gpa, 4, new byte[4], 0, true), 0);  // straddles two pages
    }

    /** The guest writes the little-endian u32 {@code value} at {@code gpa} of its own memory. */
    public synchronized void guestWriteU32(long gpa, int value) {
        check(gpa, 4, "guest write");
        overwrite(gpa, 4);
        int off = (int) (gpa % PAGE_SIZE);
        byte[] page = off <= PAGE_SIZE - 4 ? writable((int) (gpa / PAGE_SIZE), off, 4) : null;
        if (page != null) {
            page[off] = (byte) value;
            page[off + 1] = (byte) (value >>> 8);
            page[off + 2] = (byte) (value >>> 16);
            page[off + 3] = (byte) (value >>> 24);
        } else {   // a page never written, or two pages: the general path
            copyIn(gpa, new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
        }
    }

    /** Pages that hold data (each takes 4 KiB of heap); pages only ever written with zeros are not held. */
    public synchronized int residentPages() {
        settle(0, size);
        return pages.size();
    }

    /** The host writes guest memory: only shared pages (a private page is refused, as the RMP would). */
    public synchronized void hostWrite(long gpa, byte[] data) {
        check(gpa, data.length, "host write");
        requireShared(gpa, data.length, "host write");
        overwrite(gpa, data.length);
        copyIn(gpa, data);
    }

    /**
     * The host writes the remaining bytes of {@code data} to guest memory at {@code gpa}, as
     * {@link #hostWrite(long, byte[])} does, without moving {@code data}'s position (a read-only
     * view of an array shared by others is written without a copy of it).
     */
    public synchronized void hostWrite(long gpa, ByteBuffer data) {
        int len = data.remaining();
        check(gpa, len, "host write");
        requireShared(gpa, len, "host write");
        overwrite(gpa, len);
        copyIn(gpa, data);
    }

    /**
     * The host writes a sealed response page (4 KiB) to guest memory at {@code gpa}, as {@link
     * #hostWrite(long, byte[])} would write {@code page.page()}, without waiting for the bytes:
     * the access checks happen now, and the bytes land the first time anything reads or partly
     * overwrites that range (then waiting for them if they are not computed yet). Overwriting the
     * whole range drops them unread. Every reader sees the same memory either way.
     */
    public synchronized void hostWrite(long gpa, SealedResponse page) {
        check(gpa, PAGE_SIZE, "host write");
        requireShared(gpa, PAGE_SIZE, "host write");
        overwrite(gpa, PAGE_SIZE);
        settle(0, size); // one page in flight at a time: an earlier one elsewhere lands now
        deferred = page;
        deferredGpa = gpa;
    }

    /**
     * The sealed response the host wrote at {@code gpa} with {@link #hostWrite(long,
     * SealedResponse)}, if that page has not been read, written or moved since: then the 4 KiB
     * at {@code gpa} are exactly its page. Null otherwise (read the bytes instead).
     */
    public synchronized SealedResponse untouched(long gpa) {
        return deferred != null && deferredGpa == gpa ? deferred : null;
    }

    /** The host reads guest memory: only shared pages (private pages are ciphertext to it). */
    public synchronized byte[] hostRead(long gpa, int len) {
        check(gpa, len, "host read");
        requireShared(gpa, len, "host read");
        settle(gpa, len);
        return copyOut(gpa, len, new byte[len], 0, true);
    }

    /** Firmware (the PSP) places a page into private memory during launch (e.g. the secrets page). */
    public synchronized void firmwareWrite(long gpa, byte[] data) {
        check(gpa, data.length, "firmware write");
        overwrite(gpa, data.length);
        copyIn(gpa, data);
    }

    /** Lands the deferred page if it overlaps [gpa, gpa+len), before that range is read or partly written. */
    private void settle(long gpa, long len) {
        SealedResponse d = deferred;
        if (d != null && overlaps(gpa, len)) {
            deferred = null;
            copyIn(deferredGpa, d.page());
        }
    }

    /** Before [gpa, gpa+len) is written: a deferred page it covers whole is dropped, one it overlaps lands. */
    private void overwrite(long gpa, long len) {
        if (deferred != null && overlaps(gpa, len)) {
            if (gpa <= deferredGpa && gpa + len >= deferredGpa + PAGE_SIZE) {
                deferred = null;
            } else {
                settle(gpa, len);
            }
        }
    }

    private boolean overlaps(long gpa, long len) {
        return len > 0 && gpa < deferredGpa + PAGE_SIZE && deferredGpa < gpa + len;
    }

    private void requireShared(long gpa, long len, String what) {
        if (!isShared(gpa, len)) {
            throw new MemoryAccessException(String.format(Locale.ROOT,
                    "%s of %d bytes at 0x%x touches a private page (refused by the rmp)", what, len, gpa));
        }
    }

    private void check(long gpa, long len, String what) {
        if (!inRange(gpa, len)) {
            throw new MemoryAccessException(String.format(Locale.ROOT,
                    "%s of %d bytes at 0x%x is outside guest memory of 0x%x bytes", what, len, gpa, size));
        }
    }

    private void copyIn(long gpa, byte[] data) {
        copyIn(gpa, ByteBuffer.wrap(data));
    }

    /** Copies the remaining bytes of {@code data} to [gpa, ...) without moving its position. */
    private void copyIn(long gpa, ByteBuffer data) {
        int len = data.remaining();
        int base = data.position();
        int done = 0;
        while (done < len) {
            long addr = gpa + done;
            int frame = (int) (addr / PAGE_SIZE);
            int off = (int) (addr % PAGE_SIZE);
            int n = Math.min(PAGE_SIZE - off, len - done);
            byte[] page = pages.get(frame);
            if (page != null && zeroed.get(frame)) {
                if (isZero(data, base + done, n)) {
                    page = null;   // zeros to a page that reads as zeros: nothing to do
                } else {
                    unmark(frame, page, off, n);
                }
            } else if (page == null && !isZero(data, base + done, n)) {
                page = new byte[PAGE_SIZE];
                pages.put(frame, page);
            }
            if (page != null) {   // else: zeros to a page never written, which reads as zeros already
                data.get(base + done, page, off, n);
            }
            done += n;
        }
    }

    /** Copies [gpa, gpa+len) into {@code out} at {@code at} ({@code outZeroed}: it holds zeros there); returns {@code out}. */
    private byte[] copyOut(long gpa, int len, byte[] out, int at, boolean outZeroed) {
        int done = 0;
        while (done < len) {
            long addr = gpa + done;
            byte[] page = live((int) (addr / PAGE_SIZE));
            int off = (int) (addr % PAGE_SIZE);
            int n = Math.min(PAGE_SIZE - off, len - done);
            if (page != null) {
                System.arraycopy(page, off, out, at + done, n);
            } else if (!outZeroed) {   // a page never written, or zeroed whole, reads as zeros
                Arrays.fill(out, at + done, at + done + n, (byte) 0);
            }
            done += n;
        }
        return out;
    }

    /** The page of {@code frame} if it holds data; null if it was never written or reads as zeros. */
    private byte[] live(int frame) {
        byte[] page = pages.get(frame);
        return page == null || zeroed.get(frame) ? null : page;
    }

    /**
     * The page of {@code frame}, about to have [off, off+n) written: a page that reads as zeros is
     * zeroed outside that range first and then holds data. Null if the frame has no page.
     */
    private byte[] writable(int frame, int off, int n) {
        byte[] page = pages.get(frame);
        if (page != null && zeroed.get(frame)) {
            unmark(frame, page, off, n);
        }
        return page;
    }

    /** A page marked as reading zeros, about to have [off, off+n) written: zeroes the rest and drops the mark. */
    private void unmark(int frame, byte[] page, int off, int n) {
        Arrays.fill(page, 0, off, (byte) 0);
        Arrays.fill(page, off + n, PAGE_SIZE, (byte) 0);
        zeroed.clear(frame);
    }

    /** True when the {@code n} bytes of {@code b} from index {@code from} are all zero. */
    private static boolean isZero(ByteBuffer b, int from, int n) {
        if (b.hasArray()) {
            int at = b.arrayOffset() + from;
            return LeBytes.isZero(b.array(), at, at + n);
        }
        for (int i = from; i < from + n; i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Frame number to page, open addressing with linear probing: a guest holds a handful of
     * pages, and boxed keys in a {@code HashMap} cost a cache miss or two on every access.
     * Pages are only added or replaced: memory keeps a page once written (see {@code guestZero}).
     */
    static final class PageMap {
        private long[] keys = new long[16];
        private byte[][] values = new byte[16][];
        private int size;

        int size() {
            return size;
        }

        byte[] get(long frame) {
            int mask = keys.length - 1;
            for (int i = slot(frame, mask); ; i = (i + 1) & mask) {
                byte[] v = values[i];
                if (v == null) {
                    return null;
                }
                if (keys[i] == frame) {
                    return v;
                }
            }
        }

        void put(long frame, byte[] page) {
            if (page == null) {
                throw new IllegalArgumentException("page map value is null");
            }
            int mask = keys.length - 1;
            for (int i = slot(frame, mask); ; i = (i + 1) & mask) {
                if (values[i] == null) {
                    keys[i] = frame;
                    values[i] = page;
                    if (++size * 2 > keys.length) {
                        grow();
                    }
                    return;
                }
                if (keys[i] == frame) {
                    values[i] = page;
                    return;
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            byte[][] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new byte[oldKeys.length * 2][];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] != null) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int slot(long frame, int mask) {
            long h = frame * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }
    }
}
