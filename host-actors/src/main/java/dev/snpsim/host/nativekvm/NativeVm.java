package dev.snpsim.host.nativekvm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A real KVM virtual machine running the {@link GuestProgram} on N vCPUs, each vCPU's
 * {@code KVM_RUN} loop on its own dedicated platform thread (never an actor dispatcher).
 *
 * <p>Guest physical memory, one slot from GPA 0:
 * <pre>
 *  0x01000  the program's code (one copy shared by every vCPU)
 *  0x10000  vCPU 0's area, then vCPU i's at 0x10000 + i * areaStride (see {@link GuestProgram})
 * </pre>
 * Each vCPU starts in flat 32-bit protected mode at the code with ESI = its area's GPA.
 *
 * <p>Lifecycle: {@link #create} builds everything (or frees what it built and throws);
 * {@link #start} starts the threads; {@link #awaitCompletion} waits for them; {@link #close}
 * stops any still running (it sets {@code kvm_run.immediate_exit}, so a vCPU returns from
 * KVM_RUN at its next exit, which the guest's doorbell loop guarantees, or at once if it is
 * between runs; no signals), joins them, then unmaps every mapping and closes every fd.
 */
public final class NativeVm implements AutoCloseable {
    /** GPA of the program's code. */
    public static final long CODE_GPA = 0x1000;
    /** GPA of vCPU 0's area. */
    public static final long AREAS_GPA = 0x10000;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final NativeVmConfig config;
    private final GuestProgram program;
    private final long areaStride;
    private final int id = SEQUENCE.incrementAndGet();
    private final KvmVm vm;
    private final HostMapping memory;
    private final List<KvmVcpu> vcpus;
    private final GuestMemory view;
    private final NativeRunStats stats;
    private final AtomicReferenceArray<VcpuOutcome> outcomes;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private boolean started;
    private boolean closed;

    private NativeVm(NativeVmConfig config, GuestProgram program, long areaStride, KvmVm vm,
            HostMapping memory, List<KvmVcpu> vcpus) {
        this.config = config;
        this.program = program;
        this.areaStride = areaStride;
        this.vm = vm;
        this.memory = memory;
        this.vcpus = List.copyOf(vcpus);
        this.view = new GuestMemory(memory, List.of(), "native vm " + id);
        this.stats = new NativeRunStats(vcpus.size());
        this.outcomes = new AtomicReferenceArray<>(vcpus.size());
        for (int i = 0; i < vcpus.size(); i++) {
            outcomes.set(i, VcpuOutcome.running(i));
        }
    }

    /** Opens /dev/kvm, creates the VM, its memory, its vCPUs, and loads the program. */
    public static NativeVm create(NativeVmConfig config) {
        GuestProgram program = GuestProgram.assemble(config.program());
        byte[] code = program.code();
        if (CODE_GPA + code.length > AREAS_GPA) {
            throw KvmException.of("guest program is 0x%x bytes (expected: at most 0x%x)", code.length,
                    AREAS_GPA - CODE_GPA);
        }
        long stride = (program.areaSize() + GuestProgram.PAGE - 1) & -GuestProgram.PAGE;
        long size = AREAS_GPA + stride * config.vcpus();
        List<AutoCloseable> built = new ArrayList<>();
        try (Kvm kvm = Kvm.open()) {
            KvmVm vm = kvm.createVm(config.vmType());
            built.add(vm);
            HostMapping memory = HostMapping.anonymous(size);
            built.add(memory);
            vm.setUserMemoryRegion(0, 0, size, memory.address());
            memory.pointer().write(CODE_GPA, code, 0, code.length);
            List<KvmVcpu> vcpus = new ArrayList<>();
            for (int i = 0; i < config.vcpus(); i++) {
                KvmVcpu vcpu = vm.createVcpu(i);
                built.add(0, vcpu);
                vcpus.add(vcpu);
                vcpu.setSregs(vcpu.getSregs().flatProtectedMode());
                vcpu.setRegs(Regs.entry(CODE_GPA, AREAS_GPA + stride * i));
            }
            return new NativeVm(config, program, stride, vm, memory, vcpus);
        } catch (RuntimeException e) {
            closeAll(built, e);
            throw e;
        }
    }

    /** Starts one dedicated thread per vCPU, each answering doorbells through {@code handler}. */
    public synchronized void start(GuestRequestHandler handler) {
        if (closed) {
            throw KvmException.of("native vm %d is closed", id);
        }
        if (started) {
            throw KvmException.of("native vm %d is already started", id);
        }
        started = true;
        for (int i = 0; i < vcpus.size(); i++) {
            VcpuRunner runner = new VcpuRunner(this, i, vcpus.get(i), handler);
            Thread t = new Thread(runner, "kvm-vm" + id + "-vcpu" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /**
     * Waits until every vCPU thread has ended (halted, failed or stopped) and returns their
     * outcomes; throws {@link KvmException} naming the vCPUs still running after {@code timeout}.
     */
    public List<VcpuOutcome> awaitCompletion(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> running;
        synchronized (this) {
            running = List.copyOf(threads);
        }
        for (Thread t : running) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
        }
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            if (running.get(i).isAlive()) {
                alive.add(i);
            }
        }
        if (!alive.isEmpty()) {
            throw KvmException.of("vcpus %s of native vm %d still running after %s", alive, id, timeout);
        }
        return outcomes();
    }

    /** The outcome of every vCPU so far. */
    public List<VcpuOutcome> outcomes() {
        List<VcpuOutcome> list = new ArrayList<>();
        for (int i = 0; i < outcomes.length(); i++) {
            list.add(outcomes.get(i));
        }
        return list;
    }

    public NativeRunStats stats() {
        return stats;
    }

    public NativeVmConfig config() {
        return config;
    }

    public GuestProgram program() {
        return program;
    }

    /** A read-only view of all guest memory, valid until {@link #close()}. */
    public GuestMemory memory() {
        return view;
    }

    /** GPA of vCPU {@code vcpu}'s area (its request block). */
    public long areaGpa(int vcpu) {
        return AREAS_GPA + areaStride * vcpu;
    }

    /** GPA of vCPU {@code vcpu}'s certificate buffer. */
    public long certBufferGpa(int vcpu) {
        return areaGpa(vcpu) + GhcbLayout.AREA_CERT_BUFFER;
    }

    /** The guest program's own counters of vCPU {@code vcpu}, read from its private page. */
    public GuestCounters countersInMemory(int vcpu) {
        long p = areaGpa(vcpu) + GhcbLayout.AREA_PRIVATE;
        return new GuestCounters(view.readInt(p + GhcbLayout.PRIV_SUCCESSES),
                view.readInt(p + GhcbLayout.PRIV_BUSY_RETRIES),
                view.readInt(p + GhcbLayout.PRIV_INVALID_LEN_RETRIES),
                view.readInt(p + GhcbLayout.PRIV_BAD_TABLES), view.readInt(p + GhcbLayout.PRIV_ERRORS));
    }

    int id() {
        return id;
    }

    boolean stopping() {
        return stopping;
    }

    HostMapping guestMapping() {
        return memory;
    }

    void finished(int vcpu, VcpuOutcome outcome) {
        outcomes.set(vcpu, outcome);
    }

    /**
     * Stops the vCPU threads, then unmaps all memory and closes every fd. Not callable from a
     * vCPU thread (a handler), which would wait for itself.
     */
    @Override
    public void close() {
        if (threads.contains(Thread.currentThread())) {
            throw KvmException.of("close() of native vm %d called on its own vcpu thread %s", id,
                    Thread.currentThread().getName());
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopping = true;
        vcpus.forEach(KvmVcpu::requestImmediateExit);
        List<Integer> stuck = new ArrayList<>();
        for (int i = 0; i < threads.size(); i++) {
            Thread t = threads.get(i);
            try {
                TimeUnit.NANOSECONDS.timedJoin(t, STOP_TIMEOUT.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                stuck.add(i);
            }
        }
        if (!stuck.isEmpty()) {
            throw KvmException.of("vcpu threads %s of native vm %d did not stop within %s; their fds,"
                    + " kvm_run mappings and the guest memory are left in place rather than freed"
                    + " under a running vcpu", stuck, id, STOP_TIMEOUT);
        }
        view.revoke();
        List<AutoCloseable> all = new ArrayList<>(vcpus);
        all.add(vm);
        all.add(memory);
        RuntimeException first = closeAll(all, null);
        if (first != null) {
            throw first;
        }
    }

    private static RuntimeException closeAll(List<AutoCloseable> resources, RuntimeException primary) {
        RuntimeException first = primary;
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                RuntimeException re = e instanceof RuntimeException x ? x : new KvmException(e.getMessage(), e);
                if (first == null) {
                    first = re;
                } else {
                    first.addSuppressed(re);
                }
            }
        }
        return first;
    }
}
