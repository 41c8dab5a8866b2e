package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SeedMixerTest {

    @Test
    void fnv1a64MatchesPublishedVectors() {
        // test vectors of the FNV reference (draft-eastlake-fnv): "" and "a"
        assertThat(SeedMixer.fnv1a64("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(SeedMixer.fnv1a64("a")).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(SeedMixer.fnv1a64("foobar")).isEqualTo(0x85944171f73967e8L);
    }

    @Test
    void splitMix64MatchesTheReferenceSequence() {
        // first outputs of the reference splitmix64.c seeded with 0 (state advances by the golden gamma)
        assertThat(SeedMixer.splitMix64(0L)).isEqualTo(0xe220a8397b1dcdafL);
        assertThat(SeedMixer.splitMix64(0x9e3779b97f4a7c15L)).isEqualTo(0x6e789e6aa1b965f4L);
    }

    @Test
    void mixIsStableAndSeparatesIdsAndSeeds() {
        assertThat(SeedMixer.mix(42, "psp")).isEqualTo(SeedMixer.mix(42, "psp"));
        Set<Long> seen = new HashSet<>();
        for (int seed = 0; seed < 10; seed++) {
            for (int vm = 0; vm < 1000; vm++) {
                seen.add(SeedMixer.mix(seed, "vm-" + vm));
            }
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void sameIdGivesTheSameStreamObjectAndSameDrawsAcrossInstances() {
        SimRandom a = new SimRandom(7);
        SimRandom b = new SimRandom(7);
        assertThat(a.stream("psp")).isSameAs(a.stream("psp"));
        long[] da = a.stream("vm-3", "arrivals").longs(5).toArray();
        long[] db = b.stream("vm-3", "arrivals").longs(5).toArray();
        assertThat(da).containsExactly(db);
    }

    @Test
    void streamsOfDifferentIdsNamesAndSeedsDiffer() {
        SimRandom r = new SimRandom(7);
        RandomGenerator main = r.stream("vm-3");
        RandomGenerator sub = r.stream("vm-3", "arrivals");
        RandomGenerator other = r.stream("vm-4");
        RandomGenerator otherSeed = new SimRandom(8).stream("vm-3");
        long m = main.nextLong();
        assertThat(sub.nextLong()).isNotEqualTo(m);
        assertThat(other.nextLong()).isNotEqualTo(m);
        assertThat(otherSeed.nextLong()).isNotEqualTo(m);
    }

    @Test
    void drawsOfOneEntityDoNotShiftAnother() {
        SimRandom quiet = new SimRandom(1);
        SimRandom busy = new SimRandom(1);
        busy.stream("vm-1").longs(1000).sum();
        assertThat(busy.stream("vm-2").nextLong()).isEqualTo(quiet.stream("vm-2").nextLong());
    }

    @Test
    void emptyIdsAreRejected() {
        assertThatThrownBy(() -> new SimRandom(1).stream(""))
                .hasMessage("entity is empty (expected: a stable non-empty id)");
        assertThatThrownBy(() -> new SimRandom(1).stream("a", null))
                .hasMessage("stream name is null (expected: a stable non-empty id)");
    }
}
