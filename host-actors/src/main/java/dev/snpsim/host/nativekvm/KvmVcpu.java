package dev.snpsim.host.nativekvm;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * A vCPU file descriptor and its {@code kvm_run} mapping. {@link #run()} blocks the calling
 * thread inside the guest until the next exit, so it belongs on a dedicated thread.
 * {@link #requestImmediateExit()} is the one method safe to call from another thread.
 */
public final class KvmVcpu implements AutoCloseable {
    /** {@code KVM_EXIT_IO_IN}. */
    public static final int IO_IN = 0;
    /** {@code KVM_EXIT_IO_OUT}. */
    public static final int IO_OUT = 1;

    private final int id;
    private final NativeFd fd;
    private final HostMapping run;

    KvmVcpu(int id, NativeFd fd, HostMapping run) {
        this.id = id;
        this.fd = fd;
        this.run = run;
    }

    public int id() {
        return id;
    }

    /**
     * {@code KVM_RUN}: enters the guest and returns the exit reason ({@link ExitReason#code()}).
     * An interrupted run (EINTR, e.g. {@code immediate_exit} was set) returns
     * {@code KVM_EXIT_INTR}; any other failure throws.
     */
    public int run() {
        try {
            fd.ioctl("KVM_RUN", KvmIoctl.KVM_RUN, 0L);
        } catch (KvmException e) {
            if (e.errno() == LibC.EINTR) {
                return ExitReason.INTR.code();
            }
            throw e;
        }
        return exitReason();
    }

    /** {@code kvm_run.exit_reason} of the last exit. */
    public int exitReason() {
        return run.pointer().getInt(KvmLayout.RUN_EXIT_REASON);
    }

    /** Sets {@code kvm_run.immediate_exit}: the next (or current pending) KVM_RUN returns EINTR at once. */
    public void requestImmediateExit() {
        run.pointer().setByte(KvmLayout.RUN_IMMEDIATE_EXIT, (byte) 1);
    }

    /** Clears {@code kvm_run.immediate_exit}. */
    public void clearImmediateExit() {
        run.pointer().setByte(KvmLayout.RUN_IMMEDIATE_EXIT, (byte) 0);
    }

    /** True when {@code kvm_run.immediate_exit} is set. */
    public boolean immediateExitRequested() {
        return run.pointer().getByte(KvmLayout.RUN_IMMEDIATE_EXIT) != 0;
    }

    /** The {@code io} member of the exit union, valid after a {@code KVM_EXIT_IO}. */
    public IoExit ioExit() {
        Pointer p = run.pointer();
        int direction = p.getByte(KvmLayout.RUN_IO_DIRECTION) & 0xFF;
        int size = p.getByte(KvmLayout.RUN_IO_SIZE) & 0xFF;
        int port = p.getShort(KvmLayout.RUN_IO_PORT) & 0xFFFF;
        int count = p.getInt(KvmLayout.RUN_IO_COUNT);
        long dataOffset = p.getLong(KvmLayout.RUN_IO_DATA_OFFSET);
        if (dataOffset < 0 || dataOffset + (long) size * count > run.size()) {
            throw KvmException.of("io exit data_offset 0x%x (size %d, count %d) outside kvm_run (0x%x bytes)",
                    dataOffset, size, count, run.size());
        }
        long value = switch (size) {
            case 1 -> p.getByte(dataOffset) & 0xFFL;
            case 2 -> p.getShort(dataOffset) & 0xFFFFL;
            case 4 -> p.getInt(dataOffset) & 0xFFFF_FFFFL;
            default -> throw KvmException.of("io exit size %d (expected: 1, 2 or 4)", size);
        };
        return new IoExit(direction, size, port, count, value);
    }

    /** The first u64 of the exit union: the failure reason of FAIL_ENTRY, the suberror of INTERNAL_ERROR. */
    public long failureDetail() {
        return run.pointer().getLong(KvmLayout.RUN_FAIL_REASON);
    }

    /** {@code KVM_GET_REGS}. */
    public Regs getRegs() {
        try (Memory m = new Memory(KvmLayout.REGS_SIZE)) {
            fd.ioctl("KVM_GET_REGS", KvmIoctl.KVM_GET_REGS, m);
            return Regs.decode(m);
        }
    }

    /** {@code KVM_SET_REGS}. */
    public void setRegs(Regs regs) {
        try (Memory m = new Memory(KvmLayout.REGS_SIZE)) {
            regs.encode(m);
            fd.ioctl("KVM_SET_REGS", KvmIoctl.KVM_SET_REGS, m);
        }
    }

    /** {@code KVM_GET_SREGS}. */
    public Sregs getSregs() {
        try (Memory m = new Memory(KvmLayout.SREGS_SIZE)) {
            fd.ioctl("KVM_GET_SREGS", KvmIoctl.KVM_GET_SREGS, m);
            return Sregs.decode(m);
        }
    }

    /** {@code KVM_SET_SREGS}. */
    public void setSregs(Sregs sregs) {
        try (Memory m = new Memory(KvmLayout.SREGS_SIZE)) {
            sregs.encode(m);
            fd.ioctl("KVM_SET_SREGS", KvmIoctl.KVM_SET_SREGS, m);
        }
    }

    /** Unmaps {@code kvm_run} and closes the vCPU fd. Never call while {@link #run()} is in progress. */
    @Override
    public void close() {
        try {
            run.close();
        } finally {
            fd.close();
        }
    }

    /**
     * The {@code io} member of {@code kvm_run} after a {@code KVM_EXIT_IO}: direction
     * ({@link #IO_IN}/{@link #IO_OUT}), bytes per access, port, repeat count, and the first
     * value (for OUT, what the guest wrote).
     */
    public record IoExit(int direction, int size, int port, int count, long value) {
    }
}
