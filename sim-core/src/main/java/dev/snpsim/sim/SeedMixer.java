package dev.snpsim.sim;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent, stable seeds from one root seed and entity ids: {@code
 * splitmix64(seed ^ fnv1a64(utf8(id)))}. The same (seed, id) gives the same value on every JVM
 * and platform; unlike {@code String.hashCode} the 64-bit hash makes collisions between the ids
 * of a simulation vanishingly unlikely.
 */
public final class SeedMixer {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private SeedMixer() {
    }

    /** The seed of the stream of this entity. */
    public static long mix(long seed, String id) {
        return splitMix64(seed ^ fnv1a64(id));
    }

    /** FNV-1a, 64 bit, of the UTF-8 bytes of s. */
    public static long fnv1a64(String s) {
        long h = FNV_OFFSET;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }

    /** The SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijection that scatters bits. */
    public static long splitMix64(long x) {
        long z = x + 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
