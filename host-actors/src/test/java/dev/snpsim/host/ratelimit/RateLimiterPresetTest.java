package dev.snpsim.host.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimiterPresetTest {

    @Test
    void offAdmitsEverything() {
        RateLimiter l = RateLimiterPreset.parse("off");
        for (int i = 0; i < 10_000; i++) {
            assertThat(l.tryAcquire("vm0", 0)).isTrue();
        }
    }

    @Test
    void kvm2022IsTwoSecondsBurstTwoPerVm() {
        RateLimiter l = RateLimiterPreset.parse("kvm-2022");
        // guest_request_throttle_s=2, _burst=2: two requests per 2 s window, per VM
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        assertThat(l.tryAcquire("vm0", 1)).isTrue();
        assertThat(l.tryAcquire("vm0", 2)).isFalse();
        assertThat(l.tryAcquire("vm1", 2)).isTrue();
        assertThat(l).isInstanceOfSatisfying(RateLimiterPerVm.class, p -> {
            assertThat(p.intervalMs()).isEqualTo(2000);
            assertThat(p.burst()).isEqualTo(2);
        });
    }

    @Test
    void perVmProposals() {
        assertThat(RateLimiterPreset.parse("per-vm-1000-1")).isInstanceOfSatisfying(RateLimiterPerVm.class, p -> {
            assertThat(p.intervalMs()).isEqualTo(1000);
            assertThat(p.burst()).isEqualTo(1);
        });
        assertThat(RateLimiterPreset.parse(" PER-VM-2000-2 ").name()).isEqualTo("per-vm-2000-2");
    }

    @Test
    void globalRates() {
        assertThat(RateLimiterPreset.parse("global-5hz")).isInstanceOfSatisfying(RateLimiterGlobal.class, g -> {
            assertThat(g.rateHz()).isEqualTo(5);
            assertThat(g.burst()).isEqualTo(1);
        });
        assertThat(RateLimiterPreset.parse("global-2khz-8")).isInstanceOfSatisfying(RateLimiterGlobal.class, g -> {
            assertThat(g.rateHz()).isEqualTo(2000);
            assertThat(g.burst()).isEqualTo(8);
        });
    }

    @Test
    void perVmRateIsTheKilohertzModuleParameterAppliedToEachVm() {
        RateLimiter l = RateLimiterPreset.parse("per-vm-1khz");
        assertThat(l).isInstanceOfSatisfying(RateLimiterPerVm.class, p -> {
            assertThat(p.rateHz()).isEqualTo(1000);
            assertThat(p.intervalMs()).isZero();
        });
        assertThat(l.tryAcquire("vm0", 0)).isTrue();
        assertThat(l.tryAcquire("vm1", 0)).as("each vm has its own budget").isTrue();
        assertThat(l.tryAcquire("vm0", 999_999)).isFalse();
        assertThat(l.tryAcquire("vm0", 1_000_000)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"off", "kvm-2022", "per-vm-1000-1", "per-vm-2000-2", "per-vm-250-4",
            "global-5hz", "global-1khz", "global-1500hz-3", "per-vm-2khz", "per-vm-5hz-2"})
    void namesRoundTrip(String name) {
        String canonical = RateLimiterPreset.parse(name).name();
        assertThat(RateLimiterPreset.parse(canonical).name()).isEqualTo(canonical);
        if (!name.equals("kvm-2022")) {
            assertThat(canonical).isEqualTo(name);
        }
    }

    @Test
    void eachParseIsFresh() {
        RateLimiter a = RateLimiterPreset.parse("per-vm-1000-1");
        RateLimiter b = RateLimiterPreset.parse("per-vm-1000-1");
        assertThat(a.tryAcquire("vm0", 0)).isTrue();
        assertThat(b.tryAcquire("vm0", 0)).isTrue();
    }

    @Test
    void unknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> RateLimiterPreset.parse("per-vm-fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown rate limiter 'per-vm-fast' (expected one of: off, kvm-2022, per-vm-1000-1,"
                        + " per-vm-2000-2, per-vm-<interval_ms>-<burst>, per-vm-<n>hz[-<burst>], per-vm-<n>khz[-<burst>],"
                        + " global-<n>hz[-<burst>],"
                        + " global-<n>khz[-<burst>])");
    }

    @Test
    void zeroFieldIsNamed() {
        assertThatThrownBy(() -> RateLimiterPreset.parse("global-0hz"))
                .hasMessage("rate limiter 'global-0hz': rate is 0 (expected: > 0)");
        assertThatThrownBy(() -> RateLimiterPreset.parse("per-vm-1000-0"))
                .hasMessage("rate limiter 'per-vm-1000-0': burst is 0 (expected: > 0)");
        assertThatThrownBy(() -> RateLimiterPreset.parse(null)).hasMessageStartingWith("rate limiter is missing");
    }
}
