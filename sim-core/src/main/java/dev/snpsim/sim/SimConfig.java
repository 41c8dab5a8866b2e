package dev.snpsim.sim;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to build a {@link Simulation}: time mode, seed, optional trace file, extra Pekko settings.
 * Immutable; the {@code with*} methods return changed copies.
 *
 * <pre>{@code
 * SimConfig cfg = SimConfig.virtual(42).withTraceFile(Path.of("run.trace"));
 * }</pre>
 *
 * @param mode virtual or real time
 * @param seed the root seed every random stream is mixed from ({@link SimRandom})
 * @param traceFile where the canonical trace is written, or null for digest only
 * @param overrides Pekko settings layered over the ones the mode needs (e.g. serialize-messages)
 * @param idleLimit the most {@link Simulation#runUntilIdle()} advances before giving up:
 *        simulated time (virtual) or wall time (real time); a repeating timer never lets a
 *        system go idle, so this keeps such a run from going on forever
 */
public record SimConfig(TimeMode mode, long seed, Path traceFile, Config overrides, Duration idleLimit) {

    /** Default {@link #idleLimit()}: one simulated (or wall) day. */
    public static final Duration DEFAULT_IDLE_LIMIT = Duration.ofDays(1);

    /** Validates the components. */
    public SimConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(idleLimit, "idleLimit");
        if (idleLimit.isNegative() || idleLimit.isZero()) {
            throw new IllegalArgumentException("idle limit is " + idleLimit + " (expected: > 0)");
        }
    }

    /** Virtual time: deterministic for a seed, as fast as the machine allows. */
    public static SimConfig virtual(long seed) {
        return new SimConfig(TimeMode.VIRTUAL, seed, null, ConfigFactory.empty(), DEFAULT_IDLE_LIMIT);
    }

    /** Real time: the same actors on Pekko's default dispatcher and scheduler. */
    public static SimConfig realtime(long seed) {
        return new SimConfig(TimeMode.REALTIME, seed, null, ConfigFactory.empty(), DEFAULT_IDLE_LIMIT);
    }

    /** Also writes the canonical trace, one event per line, to this file. */
    public SimConfig withTraceFile(Path file) {
        return new SimConfig(mode, seed, file, overrides, idleLimit);
    }

    /** Adds Pekko settings (they win over the mode's own, so change dispatchers with care). */
    public SimConfig withConfig(Config extra) {
        return new SimConfig(mode, seed, traceFile, extra.withFallback(overrides), idleLimit);
    }

    /** Adds Pekko settings in HOCON syntax. */
    public SimConfig withConfig(String hocon) {
        return withConfig(ConfigFactory.parseString(hocon));
    }

    /**
     * Computes offloaded pure work ({@link dev.snpsim.sim.offload.Offload}) on the joining thread
     * instead of the shared workers: the results and trace digest are the same, only slower.
     */
    public SimConfig withInlineOffload() {
        return withConfig(dev.snpsim.sim.offload.Offload.SETTING + " = inline");
    }

    /** Changes {@link #idleLimit()}. */
    public SimConfig withIdleLimit(Duration limit) {
        return new SimConfig(mode, seed, traceFile, overrides, limit);
    }

    /** True for {@link TimeMode#VIRTUAL}. */
    public boolean isVirtual() {
        return mode == TimeMode.VIRTUAL;
    }

    /**
     * The complete Pekko configuration for an actor system of this simulation: overrides, then
     * the settings of the mode, then {@code application.conf}/{@code reference.conf}.
     *
     * @param instanceId identifies the simulation instance to the real-time task counter
     */
    public Config toPekkoConfig(String instanceId) {
        Map<String, Object> own = new HashMap<>();
        own.put("snpsim.sim.seed", seed);
        own.put("snpsim.sim.mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        own.put("snpsim.sim.instance", instanceId);
        own.put("snpsim.sim.trace-file", traceFile == null ? "" : traceFile.toString());
        Config modeConfig = ConfigFactory.parseResources(SimConfig.class,
                isVirtual() ? "virtual-time.conf" : "real-time.conf");
        return overrides
                .withFallback(ConfigFactory.parseMap(own))
                .withFallback(modeConfig)
                .withFallback(ConfigFactory.load())
                .resolve();
    }
}
