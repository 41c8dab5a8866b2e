package dev.snpsim.host.kvm;

/** An access to guest memory the hardware would refuse: out of range, or the host touching a private page. */
public final class MemoryAccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MemoryAccessException(String message) {
        super(message);
    }
}
