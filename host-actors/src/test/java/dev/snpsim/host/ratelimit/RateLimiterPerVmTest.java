package dev.snpsim.host.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Per-VM limits count in the kernel's {@code __ratelimit()} windows. */
class RateLimiterPerVmTest {
    private static final long MS = 1_000_000L;

    @Test
    void burstPerWindowAndTheNextWindowOpensAtTheEndOfTheInterval() {
        RateLimiterPerVm l = new RateLimiterPerVm(2000, 2);
        long t0 = 5 * MS;
        assertThat(l.tryAcquire("vm0", t0)).isTrue();
        assertThat(l.tryAcquire("vm0", t0)).isTrue();
        assertThat(l.tryAcquire("vm0", t0)).as("burst of 2 used up").isFalse();
        assertThat(l.nanosUntilAdmitted("vm0", t0)).isEqualTo(2000 * MS);
        assertThat(l.tryAcquire("vm0", t0 + 2000 * MS - 1)).isFalse();
        assertThat(l.tryAcquire("vm0", t0 + 2000 * MS)).isTrue();
        assertThat(l.tryAcquire("vm0", t0 + 2000 * MS)).as("a whole new window, not one token").isTrue();
        assertThat(l.tryAcquire("vm0", t0 + 2000 * MS)).isFalse();
    }

    @Test
    void deniedRequestsInsideTheWindowDoNotMoveIt() {
        RateLimiterPerVm l = new RateLimiterPerVm(1000, 1);
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        for (long t = 100 * MS; t < 1000 * MS; t += 100 * MS) {
            assertThat(l.tryAcquire("vm0", t)).isFalse();
        }
        assertThat(l.tryAcquire("vm0", 1000 * MS)).isTrue();
    }

    @Test
    void nextWindowOpensAtTheFirstCallAfterTheLastOneEnded() {
        RateLimiterPerVm l = new RateLimiterPerVm(1000, 1);
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        assertThat(l.tryAcquire("vm0", 5500 * MS)).isTrue(); // window [5.5 s, 6.5 s]
        assertThat(l.tryAcquire("vm0", 6200 * MS)).isFalse();
        assertThat(l.tryAcquire("vm0", 6500 * MS - 1)).isFalse();
        assertThat(l.tryAcquire("vm0", 6500 * MS)).isTrue();
    }

    @Test
    void unusedWindowsAreNotBanked() {
        RateLimiterPerVm l = new RateLimiterPerVm(1000, 2);
        l.tryAcquire("vm0", 0);
        long later = 3_600_000 * MS;
        assertThat(l.tryAcquire("vm0", later)).isTrue();
        assertThat(l.tryAcquire("vm0", later)).isTrue();
        assertThat(l.tryAcquire("vm0", later)).isFalse();
    }

    @Test
    void sustainedRateIsBurstPerInterval() {
        RateLimiterPerVm l = new RateLimiterPerVm(2000, 2);
        int admitted = 0;
        for (long t = 0; t < 60_000 * MS; t += MS) { // a guest retrying every millisecond for 60 s
            if (l.tryAcquire("vm0", t)) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(60); // 30 windows of 2 s, 2 each
    }

    @Test
    void rateFormDerivesTheWindowFromTheRate() {
        RateLimiterPerVm l = RateLimiterPerVm.ofRate(1000, 1);
        assertThat(l.intervalNanos()).isEqualTo(MS);
        assertThat(RateLimiterPerVm.ofRate(3, 2).intervalNanos()).isEqualTo(666_666_666);
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        assertThat(l.tryAcquire("vm0", MS - 1)).isFalse();
        assertThat(l.tryAcquire("vm0", MS)).isTrue();
    }

    @Test
    void vmsHaveSeparateWindows() {
        RateLimiterPerVm l = new RateLimiterPerVm(1000, 1);
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        assertThat(l.tryAcquire("vm0", 0)).isFalse();
        assertThat(l.tryAcquire("vm1", 0)).isTrue();
    }

    @Test
    void timeGoingBackwardsIsRejected() {
        RateLimiterPerVm l = new RateLimiterPerVm(1000, 1);
        l.tryAcquire("vm0", 10);
        assertThatThrownBy(() -> l.tryAcquire("vm0", 9)).hasMessage("time went backwards: 9 ns before 10 ns");
    }

    @Test
    void badSettingsAreRejectedByName() {
        assertThatThrownBy(() -> new RateLimiterPerVm(0, 1)).hasMessage("interval_ms is 0 (expected: > 0)");
        assertThatThrownBy(() -> new RateLimiterPerVm(1000, -1)).hasMessage("burst is -1 (expected: > 0)");
        assertThatThrownBy(() -> new RateLimiterPerVm(Long.MAX_VALUE / 1000, 1)).hasMessageContaining("too large");
        assertThatThrownBy(() -> RateLimiterPerVm.ofRate(0, 1)).hasMessage("rate is 0 hz (expected: > 0)");
    }
}
