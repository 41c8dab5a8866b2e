package dev.snpsim.sim;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Seeded random streams, one per entity id (and optional stream name), all derived from the
 * simulation's seed ({@code snpsim.sim.seed}) with {@link SeedMixer}. Draws of one entity do not
 * shift the draws of another, so adding a guest does not change what the others see.
 *
 * <pre>{@code
 * RandomGenerator rnd = SimRandom.get(context.getSystem()).stream("vm-3", "arrivals");
 * }</pre>
 *
 * <p>The same id returns the same stream object (it continues where it left off), so get it once,
 * keep it in the actor, and use it only from that actor. Streams are {@link SplittableRandom}
 * (SplitMix64): the same seed gives the same draws on the same JDK.
 */
public final class SimRandom implements Extension {

    private static final ExtensionId<SimRandom> ID = new ExtensionId<>() {
        @Override
        public SimRandom createExtension(ActorSystem<?> system) {
            return new SimRandom(system.settings().config().getLong("snpsim.sim.seed"));
        }
    };

    /** The random streams of this actor system. */
    public static SimRandom get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    private final long seed;
    /** keyed by string id, never iterated */
    private final ConcurrentHashMap<String, RandomGenerator> streams = new ConcurrentHashMap<>();

    /** Streams of this root seed (for use without an actor system, e.g. in plain unit tests). */
    public SimRandom(long seed) {
        this.seed = seed;
    }

    /** The root seed. */
    public long seed() {
        return seed;
    }

    /** The stream of this entity. */
    public RandomGenerator stream(String entity) {
        return streams.computeIfAbsent(check(entity, "entity"), id -> new SplittableRandom(SeedMixer.mix(seed, id)));
    }

    /** The named sub-stream of this entity, independent of its main stream. */
    public RandomGenerator stream(String entity, String name) {
        String key = check(entity, "entity") + '\u0000' + check(name, "stream name");
        return streams.computeIfAbsent(key,
                k -> new SplittableRandom(SeedMixer.mix(SeedMixer.mix(seed, entity), name)));
    }

    private static String check(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " is " + (s == null ? "null" : "empty")
                    + " (expected: a stable non-empty id)");
        }
        return s;
    }
}
