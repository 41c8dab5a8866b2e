package dev.snpsim.guest.rp;

import static dev.snpsim.guest.rp.RpFixture.HIERARCHY;
import static dev.snpsim.guest.rp.RpFixture.PRODUCT;
import static dev.snpsim.guest.rp.RpFixture.TCB_NEW;
import static dev.snpsim.guest.rp.RpFixture.TCB_OLD;
import static dev.snpsim.guest.rp.RpFixture.nonce;
import static dev.snpsim.guest.rp.RpFixture.report;
import static dev.snpsim.guest.rp.RpFixture.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.certs.CertTable;
import dev.snpsim.abi.verify.ReportVerifier;
import dev.snpsim.sim.offload.Offload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RelyingParty#checkLater}: verdicts come in submission order, at most {@code lag} behind,
 * and are the verdicts {@link RelyingParty#check} gives, whichever thread checked the signature.
 */
class DeferredVerdictTest {

    /** A mix: a chain seen first, reports on it, a stale one, a new chain, a tampered one, no table, a nonce mismatch. */
    private record Case(byte[] nonce, byte[] report, CertTable table) {
    }

    private static List<Case> cases() {
        CertTable oldT = table(TCB_OLD);
        CertTable newT = table(TCB_NEW);
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] n = nonce(i);
            switch (i % 8) {
                case 0, 1, 2 -> out.add(new Case(n, report(n, TCB_OLD), oldT));
                case 3 -> out.add(new Case(n, report(n, TCB_NEW), oldT));        // stale certificate
                case 4 -> out.add(new Case(n, report(n, TCB_NEW), newT));
                case 5 -> {
                    byte[] r = report(n, TCB_OLD);
                    r[0x90] ^= 1;                                               // tampered measurement
                    out.add(new Case(n, r, oldT));
                }
                case 6 -> out.add(new Case(n, report(n, TCB_OLD), null));       // nothing cached
                default -> out.add(new Case(nonce(i + 1000), report(n, TCB_OLD), oldT)); // another request's nonce
            }
        }
        return out;
    }

    private static RelyingParty rp(Offload offload, int lag) {
        return new RelyingParty(HIERARCHY.arkCertificate(PRODUCT), ReportVerifier.withDefaults(), offload, lag);
    }

    @Test
    void deferredVerdictsEqualImmediateOnesInSubmissionOrderWithAndWithoutWorkers() {
        List<Case> cases = cases();
        RelyingParty now = rp(Offload.inline(), 0);
        List<Outcome> expected = new ArrayList<>();
        for (Case c : cases) {
            expected.add(now.check(c.nonce(), c.report(), c.table()).outcome());
        }
        assertThat(expected).contains(Outcome.VERIFIED, Outcome.STALE_CERTIFICATE, Outcome.NO_CERTIFICATES,
                Outcome.NONCE_MISMATCH);
        for (Offload pool : List.of(Offload.inline(), Offload.withWorkers(1), Offload.withWorkers(2))) {
            for (int lag : new int[] {0, 1, 5, 64}) {
                RelyingParty later = rp(pool, lag);
                List<Integer> order = new ArrayList<>();
                List<Outcome> got = new ArrayList<>();
                for (int i = 0; i < cases.size(); i++) {
                    int index = i;
                    Case c = cases.get(i);
                    later.checkLater(c.nonce(), c.report(), c.table(), v -> {
                        order.add(index);
                        got.add(v.outcome());
                    });
                    assertThat(later.pending()).as("pending after submission %d, lag %d", i, lag)
                            .isEqualTo(Math.min(lag, i + 1));
                    assertThat(got).hasSize(i + 1 - later.pending());
                }
                later.flush();
                assertThat(later.pending()).isZero();
                assertThat(order).as("applied in submission order").isSorted().hasSize(cases.size());
                assertThat(got).as("workers %d, lag %d", pool.workers(), lag).isEqualTo(expected);
                assertThat(later.fullVerifications()).isEqualTo(now.fullVerifications());
            }
        }
    }

    @Test
    void aNegativeLagIsRefused() {
        assertThatThrownBy(() -> rp(Offload.inline(), -1)).hasMessage("verdict lag is -1 (expected: >= 0)");
    }
}
