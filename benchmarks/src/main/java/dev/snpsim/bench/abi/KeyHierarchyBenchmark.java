package dev.snpsim.bench.abi;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.keys.KeyHierarchy;
import dev.snpsim.abi.keys.ProductRoots;
import dev.snpsim.abi.keys.Vcek;
import dev.snpsim.abi.report.TcbVersion;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of the key hierarchy: one product's roots (three RSA-4096 keys and certificates,
 * a fresh seed each time: single-shot) and one VCEK with its certificate once the ASK exists.
 */
@State(Scope.Benchmark)
public class KeyHierarchyBenchmark {
    private long nextSeed = 1000;
    private KeyHierarchy fresh;
    private KeyHierarchy warm;
    private int tcbCounter;
    private final byte[] chip = new byte[64];

    @Setup(Level.Trial)
    public void warmUp() {
        warm = KeyHierarchy.create(7);
        warm.askCertificate(Product.MILAN);
        chip[0] = 1;
    }

    @Setup(Level.Invocation)
    public void freshHierarchy() {
        fresh = KeyHierarchy.create(nextSeed++);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ProductRoots productRoots() {
        return fresh.roots(Product.MILAN);
    }

    /** A VCEK for a TCB not seen before: HKDF, P-384 point multiply, RSA-4096 PSS signature. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Vcek newVcek() {
        tcbCounter++;
        return warm.vcek(Product.MILAN, chip, TcbVersion.of(Product.MILAN, 0, tcbCounter & 0x7f,
                (tcbCounter >>> 7) & 0x7f, 8, 0x73));
    }
}
