package dev.snpsim.host.nativekvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicBoolean;

/** An owned file descriptor with ioctl helpers that turn errno into {@link KvmException}. */
final class NativeFd implements AutoCloseable {
    private final int fd;
    private final String what;
    private final AtomicBoolean closed = new AtomicBoolean();

    NativeFd(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /** Opens {@code path} read-write, close-on-exec. */
    static NativeFd open(String path) {
        try {
            return new NativeFd(LibC.open(path, LibC.O_RDWR | LibC.O_CLOEXEC), path);
        } catch (LastErrorException e) {
            throw KvmException.ofErrno("open " + path, e.getErrorCode());
        }
    }

    int fd() {
        return fd;
    }

    /** ioctl with an integer argument; returns the non-negative result. */
    int ioctl(String name, long request, long arg) {
        checkOpen(name);
        try {
            return LibC.ioctl(fd, request, arg);
        } catch (LastErrorException e) {
            throw KvmException.ofErrno(name + " on " + what, e.getErrorCode());
        }
    }

    /** ioctl with a pointer argument; returns the non-negative result. */
    int ioctl(String name, long request, Pointer arg) {
        checkOpen(name);
        try {
            return LibC.ioctl(fd, request, arg);
        } catch (LastErrorException e) {
            throw KvmException.ofErrno(name + " on " + what, e.getErrorCode());
        }
    }

    private void checkOpen(String name) {
        if (closed.get()) {
            throw KvmException.of("%s on %s: the file descriptor is closed", name, what);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                LibC.close(fd);
            } catch (LastErrorException e) {
                throw KvmException.ofErrno("close " + what, e.getErrorCode());
            }
        }
    }

    @Override
    public String toString() {
        return what;
    }
}
