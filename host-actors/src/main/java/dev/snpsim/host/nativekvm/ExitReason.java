package dev.snpsim.host.nativekvm;

/** The {@code KVM_EXIT_*} reasons the backend distinguishes (values from {@code linux/kvm.h}). */
public enum ExitReason {
    UNKNOWN(0), EXCEPTION(1), IO(2), HYPERCALL(3), DEBUG(4), HLT(5), MMIO(6), IRQ_WINDOW_OPEN(7),
    SHUTDOWN(8), FAIL_ENTRY(9), INTR(10), SET_TPR(11), TPR_ACCESS(12), NMI(16), INTERNAL_ERROR(17),
    SYSTEM_EVENT(24), X86_RDMSR(29), X86_WRMSR(30), MEMORY_FAULT(39);

    private static final ExitReason[] BY_CODE = new ExitReason[64];

    static {
        for (ExitReason r : values()) {
            BY_CODE[r.code] = r;
        }
    }

    private final int code;

    ExitReason(int code) {
        this.code = code;
    }

    /** The {@code kvm_run.exit_reason} value. */
    public int code() {
        return code;
    }

    /** A printable name for any exit code: the enum name, or {@code "EXIT_<n>"}. */
    public static String nameOf(int code) {
        ExitReason r = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return r != null ? r.name() : "EXIT_" + code;
    }
}
