package dev.snpsim.bench.sim;

import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.Simulation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One request and its reply between the outside and an echo actor, in virtual time (the
 * simulation thread runs the actor, the driver returns when the reply has arrived) and in
 * real time (Pekko's dispatcher runs it, the caller waits on the future).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ActorRoundTripBenchmark {
    /** A request carrying where the reply goes. */
    public record Ping(long n, ActorRef<Long> replyTo) {
    }

    @Param({"virtual", "real"})
    public String time;

    private Simulation<Void> sim;
    private ActorRef<Ping> echo;
    private long n;

    @Setup(Level.Trial)
    public void setUp() {
        SimConfig c = time.equals("virtual") ? SimConfig.virtual(5) : SimConfig.realtime(5);
        sim = Simulation.create(Behaviors.empty(), "roundtrip", c.withConfig("pekko.log-dead-letters = off"));
        echo = sim.spawn(echo(), "echo");
    }

    static Behavior<Ping> echo() {
        return Behaviors.receive((ctx, p) -> {
            p.replyTo().tell(p.n());
            return Behaviors.same();
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sim.close();
    }

    @Benchmark
    public long roundTrip() throws InterruptedException, ExecutionException, TimeoutException {
        long m = ++n;
        CompletableFuture<Long> f = sim.ask(echo, r -> new Ping(m, r), Duration.ofSeconds(5));
        if (time.equals("virtual")) {
            sim.runUntil(f::isDone, Duration.ofSeconds(10));
        }
        long got = f.get(5, TimeUnit.SECONDS);
        if (got != m) {
            throw new IllegalStateException("echo answered " + got + " to " + m);
        }
        return got;
    }
}
