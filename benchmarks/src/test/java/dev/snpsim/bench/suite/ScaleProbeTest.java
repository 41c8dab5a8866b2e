package dev.snpsim.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parent's reading of a scale probe's output. */
class ScaleProbeTest {
    @Test
    void okLineGivesHeapPerGuest() {
        ScaleProbe.Result r = ScaleProbe.parse(1000, 0, List.of("some log",
                "scale-probe guests=1000 wall=12.500 verified=6000 failed=0 heap=420000000 baseline=20000000"));
        assertThat(r.ok()).isTrue();
        assertThat(r.verified()).isEqualTo(6000);
        assertThat(r.wallSeconds()).isEqualTo(12.5);
        assertThat(r.heapPerGuestBytes()).isEqualTo(400_000.0);
    }

    @Test
    void outOfMemoryIsAFailureSaidAsSuch() {
        ScaleProbe.Result r = ScaleProbe.parse(20000, 1, List.of("Exception in thread \"main\" "
                + "java.lang.OutOfMemoryError: Java heap space", "\tat x.y(Z.java:1)"));
        assertThat(r.ok()).isFalse();
        assertThat(r.why()).isEqualTo("out of memory");
    }

    @Test
    void failedRequestsMakeTheProbeFail() {
        ScaleProbe.Result r = ScaleProbe.parse(5000, 0, List.of(
                "scale-probe guests=5000 wall=1.0 verified=10 failed=3 heap=1 baseline=0"));
        assertThat(r.ok()).isFalse();
        assertThat(r.why()).isEqualTo("3 requests failed");
    }
}
