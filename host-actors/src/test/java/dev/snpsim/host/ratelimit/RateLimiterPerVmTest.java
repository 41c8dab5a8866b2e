package dev.snpsim.host.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateLimiterPerVmTest {
    private static final long MS = 1_000_000L;

    @Test
    void burstThenOneTokenPerIntervalToTheNanosecond() {
        RateLimiterPerVm l = new RateLimiterPerVm(2000, 2);
        long t0 = 5 * MS;
        assertThat(l.tryAcquire("vm0", t0)).isTrue();
        assertThat(l.tryAcquire("vm0", t0)).isTrue();
        assertThat(l.tryAcquire("vm0", t0)).as("burst of 2 used up").isFalse();
        assertThat(l.nanosUntilAdmitted("vm0", t0)).isEqualTo(2000 * MS);
        assertThat(l.tryAcquire("vm0", t0 + 2000 * MS - 1)).isFalse();
        assertThat(l.tryAcquire("vm0", t0 + 2000 * MS)).isTrue();
        assertThat(l.tryAcquire("vm0", t0 + 2000 * MS)).isFalse();
    }

    @Test
    void deniedRequestsDoNotConsumeCredit() {
        RateLimiterPerVm l = new RateLimiterPerVm(1000, 1);
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        for (long t = 0; t < 1000 * MS; t += 100 * MS) {
            assertThat(l.tryAcquire("vm0", t)).isFalse();
        }
        assertThat(l.tryAcquire("vm0", 1000 * MS)).isTrue();
    }

    @Test
    void bucketHoldsAtMostBurstTokensAfterALongIdle() {
        RateLimiterPerVm l = new RateLimiterPerVm(1000, 2);
        l.tryAcquire("vm0", 0);
        long later = 3_600_000 * MS;
        assertThat(l.tryAcquire("vm0", later)).isTrue();
        assertThat(l.tryAcquire("vm0", later)).isTrue();
        assertThat(l.tryAcquire("vm0", later)).isFalse();
    }

    @Test
    void partialCreditCarriesOver() {
        RateLimiterPerVm l = new RateLimiterPerVm(1000, 1);
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        assertThat(l.tryAcquire("vm0", 600 * MS)).isFalse(); // 0.6 token accrued, kept
        assertThat(l.tryAcquire("vm0", 1000 * MS)).isTrue(); // 1.0 token at exactly 1 s
        assertThat(l.nanosUntilAdmitted("vm0", 1000 * MS)).isEqualTo(1000 * MS);
    }

    @Test
    void vmsHaveSeparateBuckets() {
        RateLimiterPerVm l = new RateLimiterPerVm(1000, 1);
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        assertThat(l.tryAcquire("vm0", 0)).isFalse();
        assertThat(l.tryAcquire("vm1", 0)).isTrue();
    }

    @Test
    void timeGoingBackwardsIsRejected() {
        RateLimiterPerVm l = new RateLimiterPerVm(1000, 1);
        l.tryAcquire("vm0", 10);
        assertThatThrownBy(() -> l.tryAcquire("vm0", 9)).hasMessage("time went backwards: 9 ns after 10 ns");
    }

    @Test
    void badSettingsAreRejectedByName() {
        assertThatThrownBy(() -> new RateLimiterPerVm(0, 1)).hasMessage("interval_ms is 0 (expected: > 0)");
        assertThatThrownBy(() -> new RateLimiterPerVm(1000, -1)).hasMessage("burst is -1 (expected: > 0)");
        assertThatThrownBy(() -> new RateLimiterPerVm(999_999_999, 999_999)).hasMessageContaining("too large");
    }
}
