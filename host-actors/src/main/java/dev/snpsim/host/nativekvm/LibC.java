package dev.snpsim.host.nativekvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libc calls the backend needs, bound with JNA direct mapping (x86-64 Linux: {@code long}
 * is 64 bits, so Java {@code long} carries {@code unsigned long} and {@code size_t}).
 *
 * <p>{@code ioctl} is variadic in C; it is declared here with a fixed third argument, which the
 * x86-64 System V calling convention passes in the same register either way.
 */
final class LibC {
    static final int O_RDWR = 0x2;
    static final int O_CLOEXEC = 0x80000;
    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOENT = 2;
    static final int ENXIO = 6;
    static final int EINVAL = 22;
    /** {@code MAP_FAILED}, {@code (void *) -1}. */
    static final long MAP_FAILED = -1L;

    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    private LibC() {
    }

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    static native int ioctl(int fd, long request, long arg) throws LastErrorException;

    static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    static native int munmap(Pointer addr, long length) throws LastErrorException;

    static native String strerror(int errnum);

    /** The C library's text for an errno, lowercased to fit the project's message style. */
    static String describe(int errno) {
        String text = strerror(errno);
        return text == null ? "unknown error" : text.toLowerCase(java.util.Locale.ROOT);
    }
}
