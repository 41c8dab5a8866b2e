package dev.snpsim.abi.ghcb;

/**
 * Linux errno values used at the KVM boundary (x86-64, {@code asm-generic/errno-base.h}
 * and {@code errno.h}): the certificate exits' {@code ret} is a positive errno, ioctls
 * fail with its negative.
 */
public final class Errno {
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int ENOSPC = 28;
    public static final int ETIMEDOUT = 110;

    private Errno() {
    }

    /** "EAGAIN" etc., or the number for others. */
    public static String name(int errno) {
        return switch (Math.abs(errno)) {
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case EAGAIN -> "EAGAIN";
            case EINVAL -> "EINVAL";
            case ENOTTY -> "ENOTTY";
            case ENOSPC -> "ENOSPC";
            case ETIMEDOUT -> "ETIMEDOUT";
            default -> "errno " + errno;
        };
    }
}
