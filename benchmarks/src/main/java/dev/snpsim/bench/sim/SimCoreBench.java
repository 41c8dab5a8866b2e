package dev.snpsim.bench.sim;

import dev.snpsim.sim.RunStats;
import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.Simulation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Locale;

/**
 * Macro benchmark of virtual time (a plain main, not JMH): prints
 * <ul>
 *   <li>message-heavy: ping-pong among many actor pairs, messages per wall second;</li>
 *   <li>timer-heavy: 1,000 tickers at 1 ms with a cancelled-and-restarted jitter timer each,
 *       timers fired and events per wall second;</li>
 *   <li>sparse day: 1,000 actors with one timer each per simulated minute for 24 simulated
 *       hours, wall time and simulated-to-wall speed-up.</li>
 * </ul>
 * Each workload runs once to warm up, then {@code repeats} times measured (default 3). Wall
 * figures depend on what else the machine runs; the simulation thread's CPU time is printed
 * beside them.
 * Usage: {@code SimCoreBench [repeats]}. No assertions on timing: it prints figures.
 */
public final class SimCoreBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final SimConfig CONFIG = SimConfig.virtual(2024).withConfig("pekko.log-dead-letters = off");

    private SimCoreBench() {
    }

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.printf(Locale.ROOT, "sim-core macro benchmark (java %s, %d cpus)%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        pingPong(500, 200);
        for (int i = 0; i < repeats; i++) {
            pingPong(1_000, 2_000);
        }
        timers(100, 100);
        for (int i = 0; i < repeats; i++) {
            timers(1_000, 2_000);
        }
        sparseDay(100, Duration.ofHours(1));
        for (int i = 0; i < repeats; i++) {
            sparseDay(1_000, Duration.ofHours(24));
        }
    }

    /** pairs x rounds messages at time 0. */
    static void pingPong(int pairs, int rounds) {
        Workloads.Tally tally = new Workloads.Tally();
        try (Simulation<Void> sim = Simulation.create(Workloads.pingPong(pairs, rounds, tally), "pingpong", CONFIG)) {
            long cpu0 = cpuNanos();
            RunStats s = sim.runUntilIdle();
            long cpu = cpuNanos() - cpu0;
            long messages = tally.messages.get();
            check(messages == (long) pairs * rounds, "ping-pong delivered " + messages + " messages");
            System.out.printf(Locale.ROOT,
                    "message-heavy: %,d actors, %,d messages in %.3f s wall (%.3f s cpu): %,.0f messages/s wall,"
                            + " %,.0f messages/s cpu%n",
                    2 * pairs, messages, s.wallNanos() / 1e9, cpu / 1e9, messages * 1e9 / s.wallNanos(),
                    messages * 1e9 / cpu);
        }
    }

    /** n tickers at 1 ms, ticks ticks each. */
    static void timers(int n, long ticks) {
        Workloads.Tally tally = new Workloads.Tally();
        try (Simulation<Void> sim = Simulation.create(
                Workloads.tickers(n, Duration.ofMillis(1), ticks, tally), "timers", CONFIG)) {
            long cpu0 = cpuNanos();
            RunStats s = sim.runUntilIdle();
            long cpu = cpuNanos() - cpu0;
            long fired = tally.timers.get();
            check(fired >= n * ticks, "timers fired " + fired);
            System.out.printf(Locale.ROOT,
                    "timer-heavy: %,d actors, %,d timers fired (%,d ticks + jitters; the rest cancelled) over %.1f s"
                            + " simulated in %.3f s wall (%.3f s cpu): %,.0f timers/s wall, %,.0f timers/s cpu,"
                            + " %,.0f events/s wall%n",
                    n, fired, n * ticks, s.simulatedNanos() / 1e9, s.wallNanos() / 1e9, cpu / 1e9,
                    fired * 1e9 / s.wallNanos(), fired * 1e9 / cpu, s.eventsPerWallSecond());
        }
    }

    /** n actors, one timer per simulated minute, for span; prints the figures. */
    static void sparseDay(int n, Duration span) {
        sparseDay(n, span, true);
    }

    /**
     * The sparse workload: n actors, one timer per simulated minute each, for span (used by
     * {@code snpsim bench} for the sparse-day speed-up). Prints its line when {@code print}.
     *
     * @return the run's figures (speed-up = simulated / wall)
     */
    public static RunStats sparseDay(int n, Duration span, boolean print) {
        Workloads.Tally tally = new Workloads.Tally();
        try (Simulation<Void> sim = Simulation.create(
                Workloads.sparseFleet(n, Duration.ofMinutes(1), tally), "sparse", CONFIG)) {
            long cpu0 = cpuNanos();
            RunStats s = sim.runFor(span);
            long cpu = cpuNanos() - cpu0;
            long fired = tally.timers.get();
            check(fired >= n * span.toMinutes(), "sparse timers fired " + fired);
            if (!print) {
                return s;
            }
            System.out.printf(Locale.ROOT,
                    "sparse: %,d actors x 1 timer/simulated minute, %.0f h simulated in %.3f s wall (%.3f s cpu):"
                            + " speed-up %,.0fx wall, %,.0fx cpu, %,d timers%n",
                    n, s.simulatedNanos() / 3.6e12, s.wallNanos() / 1e9, cpu / 1e9, s.speedup(),
                    s.simulatedNanos() / (double) cpu, fired);
            return s;
        }
    }

    /** CPU time of the calling thread, which is the simulation thread. */
    private static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("workload did not run as designed: " + what);
        }
    }
}
