package dev.snpsim.host.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterGlobalTest {

    @Test
    void oneBudgetForAllVms() {
        RateLimiterGlobal l = new RateLimiterGlobal(5, 1); // 5 Hz: one per 200 ms
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        assertThat(l.tryAcquire("vm1", 0)).isFalse();
        assertThat(l.tryAcquire("vm1", 199_999_999)).isFalse();
        assertThat(l.tryAcquire("vm1", 200_000_000)).isTrue();
    }

    @Test
    void rateThatDoesNotDivideASecondIsExact() {
        RateLimiterGlobal l = new RateLimiterGlobal(3, 2); // one per 333,333,333.3 ns
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        assertThat(l.nanosUntilAdmitted(0)).isEqualTo(333_333_334);
        // the k-th token is due at ceil(k * 1e9 / 3) ns: fractions carry over, no drift
        for (long k = 1; k <= 300; k++) {
            long due = (k * 1_000_000_000L + 2) / 3;
            assertThat(l.tryAcquire("vm0", due - 1)).as("token %d, 1 ns early", k).isFalse();
            assertThat(l.tryAcquire("vm0", due)).as("token %d on time", k).isTrue();
        }
    }

    @Test
    void fullBucketDoesNotBankTime() {
        RateLimiterGlobal l = new RateLimiterGlobal(3, 1);
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        // the token arrives at 333,333,333.3 ns; the bucket holds one, so the 0.7 ns past it are lost
        assertThat(l.tryAcquire("vm0", 333_333_334)).isTrue();
        assertThat(l.nanosUntilAdmitted(333_333_334)).isEqualTo(333_333_334);
    }

    @Test
    void kilohertzBurst() {
        RateLimiterGlobal l = new RateLimiterGlobal(2000, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(l.tryAcquire("vm" + i, 0)).isTrue();
        }
        assertThat(l.tryAcquire("vm9", 0)).isFalse();
        assertThat(l.tryAcquire("vm9", 499_999)).isFalse();
        assertThat(l.tryAcquire("vm9", 500_000)).isTrue();
    }

    @Test
    void hugeIdleGapDoesNotOverflow() {
        RateLimiterGlobal l = new RateLimiterGlobal(1_000_000, 3);
        l.tryAcquire("vm0", 0);
        long far = Long.MAX_VALUE - 1;
        assertThat(l.tryAcquire("vm0", far)).isTrue();
        assertThat(l.tryAcquire("vm0", far)).isTrue();
        assertThat(l.tryAcquire("vm0", far)).isTrue();
        assertThat(l.tryAcquire("vm0", far)).isFalse();
    }
}
