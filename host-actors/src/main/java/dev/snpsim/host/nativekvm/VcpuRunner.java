package dev.snpsim.host.nativekvm;

import com.sun.jna.Pointer;
import dev.snpsim.host.nativekvm.KvmVcpu.IoExit;
import dev.snpsim.host.nativekvm.VcpuOutcome.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One vCPU's KVM_RUN loop, on its dedicated thread. Plays KVM's part for the request block:
 * validates it as KVM validates a GHCB (valid bitmap, exit code, aligned in-memory GPAs),
 * refusing a malformed one with GENERIC without bothering the handler, and writes the
 * handler's answer back (SW_EXITINFO2, and RBX after INVALID_LEN).
 */
final class VcpuRunner implements Runnable {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int MAX_PAGES = 1 << 20;

    private final NativeVm vm;
    private final int index;
    private final KvmVcpu vcpu;
    private final GuestRequestHandler handler;
    private final NativeRunStats stats;
    private final List<Long> reported = new ArrayList<>();

    VcpuRunner(NativeVm vm, int index, KvmVcpu vcpu, GuestRequestHandler handler) {
        this.vm = vm;
        this.index = index;
        this.vcpu = vcpu;
        this.handler = handler;
        this.stats = vm.stats();
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (RuntimeException e) {
            finish(State.FAILED, "vcpu " + index + ": " + e.getMessage());
        }
    }

    private void loop() {
        while (true) {
            if (vm.stopping()) {
                finish(State.STOPPED, "stopped by close()");
                return;
            }
            long entered = System.nanoTime();
            int reason = vcpu.run();
            stats.exit(reason, System.nanoTime() - entered);
            if (reason == ExitReason.IO.code()) {
                if (!onIo(vcpu.ioExit())) {
                    return;
                }
            } else if (reason == ExitReason.HLT.code()) {
                onHalt();
                return;
            } else if (reason == ExitReason.INTR.code() && vm.stopping()) {
                finish(State.STOPPED, "stopped by close()");
                return;
            } else if (reason != ExitReason.INTR.code()) {
                finish(State.FAILED, String.format(java.util.Locale.ROOT,
                        "vcpu %d: unexpected exit %s (detail 0x%x) at rip 0x%x", index,
                        ExitReason.nameOf(reason), vcpu.failureDetail(), vcpu.getRegs().rip()));
                return;
            }
        }
    }

    /** Returns false when the run is over. */
    private boolean onIo(IoExit io) {
        boolean dwordOut = io.direction() == KvmVcpu.IO_OUT && io.size() == 4 && io.count() == 1;
        if (dwordOut && io.port() == GuestProgram.DOORBELL_PORT) {
            onDoorbell(io.value());
            return true;
        }
        if (dwordOut && io.port() == GuestProgram.REPORT_PORT && reported.size() < GuestProgram.REPORTED_COUNTERS) {
            reported.add(io.value());
            return true;
        }
        finish(State.FAILED, String.format(java.util.Locale.ROOT,
                "vcpu %d: unexpected io exit: %s port 0x%x size %d count %d (reported %d counters)",
                index, io.direction() == KvmVcpu.IO_OUT ? "out" : "in", io.port(), io.size(),
                io.count(), reported.size()));
        return false;
    }

    private void onHalt() {
        if (reported.size() != GuestProgram.REPORTED_COUNTERS) {
            finish(State.FAILED, "vcpu " + index + ": halted after reporting " + reported.size()
                    + " of " + GuestProgram.REPORTED_COUNTERS + " counters");
            return;
        }
        vm.finished(index, new VcpuOutcome(index, State.HALTED,
                Optional.of(GuestCounters.of(reported)), ""));
    }

    private void onDoorbell(long blockGpa) {
        long start = System.nanoTime();
        stats.doorbell();
        Pointer mem = vm.guestMapping().pointer();
        long size = vm.guestMapping().size();
        NativeGuestRequest request = decode(mem, size, blockGpa);
        NativeGuestResult result;
        if (request == null) {
            stats.rejected();
            result = NativeGuestResult.generic();
        } else {
            result = ask(request);
            if (result == null) {
                return; // stopping: leave the guest where it is
            }
        }
        if (blockGpa >= 0 && blockGpa <= size - GuestProgram.PAGE && (blockGpa & 0xFFF) == 0) {
            mem.setLong(blockGpa + GhcbLayout.SW_EXITINFO2, result.exitInfo2());
            if (result.vmmError() == GuestProgram.VMM_ERROR_INVALID_LEN) {
                mem.setLong(blockGpa + GhcbLayout.RBX, result.pagesNeeded());
            }
        }
        stats.latency(index, System.nanoTime() - start);
    }

    /** The handler's answer; GENERIC when it fails or times out; null when stopping. */
    private NativeGuestResult ask(NativeGuestRequest request) {
        List<GuestMemory.Window> windows = new ArrayList<>();
        windows.add(new GuestMemory.Window("response page", request.responseGpa(), GuestProgram.PAGE));
        if (request.extended() && request.npages() > 0) {
            windows.add(new GuestMemory.Window("certificate buffer", request.certGpa(),
                    request.certBufferBytes()));
        }
        GuestMemory shared = new GuestMemory(vm.guestMapping(), windows,
                "request of vcpu " + index + " in native vm " + vm.id());
        try {
            CompletableFuture<NativeGuestResult> future =
                    handler.handle(request, shared).toCompletableFuture();
            long deadline = System.nanoTime() + vm.config().handlerTimeout().toNanos();
            while (true) {
                try {
                    NativeGuestResult r = future.get(POLL_NANOS, TimeUnit.NANOSECONDS);
                    if (r == null) {
                        throw new KvmException("handler answered null");
                    }
                    return r;
                } catch (TimeoutException e) {
                    if (vm.stopping()) {
                        return null;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        stats.handlerFailure();
                        return NativeGuestResult.generic();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | RuntimeException e) {
            stats.handlerFailure();
            return NativeGuestResult.generic();
        } finally {
            shared.revoke();
        }
    }

    /** Decodes and validates the request block; null when KVM would refuse it. */
    static NativeGuestRequest decode(Pointer mem, long size, long blockGpa, int vcpuIndex) {
        if ((blockGpa & 0xFFF) != 0 || blockGpa < 0 || blockGpa > size - GuestProgram.PAGE) {
            return null;
        }
        byte[] valid = mem.getByteArray(blockGpa + GhcbLayout.VALID_BITMAP, 16);
        for (int field : new int[] {GhcbLayout.SW_EXITCODE, GhcbLayout.SW_EXITINFO1, GhcbLayout.SW_EXITINFO2}) {
            int bit = GhcbLayout.validBit(field);
            if ((valid[bit / 8] & (1 << (bit % 8))) == 0) {
                return null;
            }
        }
        long exitCode = mem.getLong(blockGpa + GhcbLayout.SW_EXITCODE);
        long requestGpa = mem.getLong(blockGpa + GhcbLayout.SW_EXITINFO1);
        long responseGpa = mem.getLong(blockGpa + GhcbLayout.SW_EXITINFO2);
        if (!pageInside(requestGpa, 1, size) || !pageInside(responseGpa, 1, size)) {
            return null;
        }
        if (exitCode == GuestProgram.EXIT_GUEST_REQUEST) {
            return new NativeGuestRequest(vcpuIndex, exitCode, requestGpa, responseGpa, 0, 0);
        }
        if (exitCode != GuestProgram.EXIT_EXT_GUEST_REQUEST) {
            return null;
        }
        for (int field : new int[] {GhcbLayout.RAX, GhcbLayout.RBX}) {
            int bit = GhcbLayout.validBit(field);
            if ((valid[bit / 8] & (1 << (bit % 8))) == 0) {
                return null;
            }
        }
        long certGpa = mem.getLong(blockGpa + GhcbLayout.RAX);
        long npages = mem.getLong(blockGpa + GhcbLayout.RBX);
        if (npages < 0 || npages > MAX_PAGES || !pageInside(certGpa, npages, size)) {
            return null;
        }
        return new NativeGuestRequest(vcpuIndex, exitCode, requestGpa, responseGpa, certGpa, npages);
    }

    private NativeGuestRequest decode(Pointer mem, long size, long blockGpa) {
        return decode(mem, size, blockGpa, index);
    }

    private static boolean pageInside(long gpa, long pages, long size) {
        return (gpa & 0xFFF) == 0 && gpa >= 0 && gpa <= size - pages * GuestProgram.PAGE;
    }

    private void finish(State state, String detail) {
        vm.finished(index, new VcpuOutcome(index, state, Optional.empty(), detail));
    }
}
