package dev.snpsim.guest.rp;

import dev.snpsim.abi.verify.Verdict;

/**
 * The relying party's answer for one report.
 *
 * @param outcome what it concluded
 * @param verdict the verifier's verdict (null for {@link Outcome#NO_CERTIFICATES})
 * @param detail  lowercase text naming what decided it
 */
public record Check(Outcome outcome, Verdict verdict, String detail) {
    public boolean ok() {
        return outcome == Outcome.VERIFIED;
    }
}
