package dev.snpsim.host.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The guest's page map agrees with a HashMap under random puts, replacements and gets. */
class PageMapTest {
    @Test
    void agreesWithAHashMapUnderRandomOperations() {
        for (int keySpace : new int[] {8, 40, 5000}) {
            GuestMemory.PageMap map = new GuestMemory.PageMap();
            Map<Long, byte[]> ref = new HashMap<>();
            SplittableRandom rnd = new SplittableRandom(keySpace);
            for (int op = 0; op < 200_000; op++) {
                long frame = rnd.nextInt(keySpace) * (keySpace == 40 ? 1024L : 1L); // clustered and spread keys
                if (rnd.nextInt(3) == 0) {
                    byte[] page = new byte[1];
                    map.put(frame, page);
                    ref.put(frame, page);
                } else {
                    assertThat(map.get(frame)).isSameAs(ref.get(frame));
                }
                assertThat(map.size()).isEqualTo(ref.size());
            }
            for (Map.Entry<Long, byte[]> e : ref.entrySet()) {
                assertThat(map.get(e.getKey())).isSameAs(e.getValue());
            }
        }
    }
}
