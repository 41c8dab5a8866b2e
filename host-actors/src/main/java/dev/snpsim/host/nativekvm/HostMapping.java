package dev.snpsim.host.nativekvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A host {@code mmap} region owned by the backend: anonymous zero-filled guest memory, or the
 * {@code kvm_run} page(s) of a vCPU fd. {@link #close()} unmaps it exactly once.
 */
final class HostMapping implements AutoCloseable {
    private final Pointer address;
    private final long size;
    private final String what;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HostMapping(Pointer address, long size, String what) {
        this.address = address;
        this.size = size;
        this.what = what;
    }

    /** Anonymous shared, zero-filled memory of {@code size} bytes (a multiple of 4 KiB). */
    static HostMapping anonymous(long size) {
        if (size <= 0 || (size & 0xFFF) != 0) {
            throw KvmException.of("guest memory size 0x%x is not a positive multiple of 0x1000", size);
        }
        return map(size, LibC.MAP_SHARED | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE, -1,
                "anonymous guest memory");
    }

    /** The {@code kvm_run} mapping of a vCPU fd. */
    static HostMapping vcpuRun(NativeFd vcpuFd, int size) {
        return map(size, LibC.MAP_SHARED, vcpuFd.fd(), "kvm_run of " + vcpuFd);
    }

    private static HostMapping map(long size, int flags, int fd, String what) {
        Pointer p;
        try {
            p = LibC.mmap(null, size, LibC.PROT_READ | LibC.PROT_WRITE, flags, fd, 0);
        } catch (LastErrorException e) {
            throw KvmException.ofErrno("mmap of 0x" + Long.toHexString(size) + " bytes for " + what,
                    e.getErrorCode());
        }
        if (Pointer.nativeValue(p) == LibC.MAP_FAILED) {
            throw KvmException.of("mmap of 0x%x bytes for %s returned MAP_FAILED", size, what);
        }
        return new HostMapping(p, size, what);
    }

    Pointer pointer() {
        if (closed.get()) {
            throw KvmException.of("%s is unmapped", what);
        }
        return address;
    }

    long address() {
        return Pointer.nativeValue(address);
    }

    long size() {
        return size;
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                LibC.munmap(address, size);
            } catch (LastErrorException e) {
                throw KvmException.ofErrno("munmap of " + what, e.getErrorCode());
            }
        }
    }
}
