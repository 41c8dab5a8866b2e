package dev.snpsim.guest.driver;

import java.util.Locale;

/**
 * The check that a guest never seals two messages with the same (VMPCK, sequence number):
 * AES-GCM's IV is the sequence number, so a reuse would leak the key stream. Every seal claims
 * its sequence number here first; a number at or below the highest one claimed (or seen in a
 * response) for that VMPCK fails loudly with {@link IllegalStateException}. A resend of the same
 * sealed bytes (BUSY, INVALID_LEN) is not a new seal and claims nothing.
 *
 * <p>One guard per launched guest; not thread-safe (used by one driver actor).
 */
public final class SeqnoGuard {
    private final long[] highest = new long[SecretsLayout.VMPCKS];

    /** Records that {@code seqno} is about to be sealed under VMPCK {@code vmpck}. */
    public void claim(int vmpck, long seqno) {
        if (Long.compareUnsigned(seqno, highest[vmpck]) <= 0) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "vmpck%d seqno %d would reuse an aes-gcm iv (highest already used: %d)", vmpck, seqno,
                    highest[vmpck]));
        }
        highest[vmpck] = seqno;
    }

    /** Records a response's sequence number (the firmware used it with the same key). */
    public void seen(int vmpck, long seqno) {
        if (Long.compareUnsigned(seqno, highest[vmpck]) > 0) {
            highest[vmpck] = seqno;
        }
    }

    /** The highest sequence number used with VMPCK {@code vmpck}, 0 if none. */
    public long highest(int vmpck) {
        return highest[vmpck];
    }
}
