package dev.snpsim.bench.sim;

import dev.snpsim.sim.trace.Trace;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The trace events of one attestation (14 records, as the reference scenario records them)
 * through {@link Trace#record}, without a trace file. When it replaced the String-based record
 * (commit {@code bda0c33}), this benchmark also carried the former code and measured 0.62 of
 * its cost, alternating both in one JVM; the former formatting lives on in
 * {@code TraceFormatTest} as the oracle the current one must match byte for byte.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TraceRecordBenchmark {
    /** Records per {@link #attestation}. */
    public static final int RECORDS = 14;

    enum Kind { EXTENDED_REPORT }

    enum Profile { COCO }

    enum LockMode { SHARED }

    enum Status { GRANTED, OK, SUCCESS, VERIFIED }

    private long now;
    private long seqno;
    private Trace trace;

    @Setup
    public void setUp() {
        trace = new Trace(() -> now, null);
    }

    @Benchmark
    public Object record() {
        attestation();
        return trace;
    }

    /** The events of one extended-report attestation, values of the types the actors pass. */
    private void attestation() {
        now += 13_058_169_261L;
        long s = seqno += 2;
        int desc = (int) (s / 2);
        trace.record("fleet-0/workload", "request", "kind", Kind.EXTENDED_REPORT, "pages", 4);
        trace.record("fleet-0/driver", "vmgexit", "seqno", s, "exit", 2147483666L, "busy", 0);
        trace.record("fleet-0/vcpu-0", "cert-exit", "profile", Profile.COCO, "gpa", "0x3fc000", "npages", 4L);
        trace.record("certstore", "open", "desc", desc);
        trace.record("certstore", "lock", "desc", desc, "mode", LockMode.SHARED, "status", Status.GRANTED);
        trace.record("certstore", "read", "desc", desc, "status", Status.OK, "bytes", 4773);
        trace.record("fleet-0/vmm", "answer", "vcpu", 0, "answer", Status.OK, "why", "wrote 4773 bytes");
        trace.record("fleet-0/vcpu-0", "userspace-return", "completion", "IssueRequest", "immediate-exit", true);
        trace.record("psp", "cmd-done", "cmd", "SNP_GUEST_REQUEST", "vm", "fleet-0", "status", Status.SUCCESS,
                "wait", 0L, "service", 8_000_000L);
        trace.record("fleet-0/vcpu-0", "vmgexit-done", "exit-info2", "0x0", "rbx", 4L, "why", "firmware SUCCESS");
        trace.record("fleet-0/driver", "done", "seqno", s);
        trace.record("fleet-0/vmm", "run-returned", "vcpu", 0, "errno", "EINTR");
        trace.record("certstore", "close", "desc", desc);
        trace.record("fleet-0/workload", "report", "outcome", Status.VERIFIED, "latency", 8_000_000L);
    }
}
