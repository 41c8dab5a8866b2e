package dev.snpsim.psp.firmware;

import dev.snpsim.abi.ghcb.FirmwareStatus;
import java.util.Objects;

/**
 * What a firmware command returns: its status and, where the command produces one, a page
 * (the sealed response of a guest request, the filled secrets or CPUID page), else null.
 *
 * <p>Immutable: the public constructor and {@link #success} copy the page in and {@link #page()}
 * copies it out. The firmware builds its own pages fresh and hands them over without the first
 * copy; {@link #pageShared()} skips the second for the PSP actor's reply. (A final class, not a
 * record, so that the firmware's path can skip the copy; equality is the record's was: same
 * status and the same page object.)
 */
public final class FirmwareResult {
    private final FirmwareStatus status;
    private final byte[] page;
    private final SealedResponse deferred;

    public FirmwareResult(FirmwareStatus status, byte[] page) {
        this(status, page, true);
    }

    /** With {@code copy} false, takes {@code page} as it is: for pages nobody else holds. */
    private FirmwareResult(FirmwareStatus status, byte[] page, boolean copy) {
        this.status = status;
        this.page = copy && page != null ? page.clone() : page;
        this.deferred = null;
    }

    private FirmwareResult(SealedResponse deferred) {
        this.status = FirmwareStatus.SUCCESS;
        this.page = null;
        this.deferred = deferred;
    }

    public static FirmwareResult of(FirmwareStatus status) {
        return new FirmwareResult(status, null, false);
    }

    public static FirmwareResult success(byte[] page) {
        return new FirmwareResult(FirmwareStatus.SUCCESS, page);
    }

    /** SUCCESS with a page the firmware has just built and keeps no reference to: not copied. */
    static FirmwareResult successOwning(byte[] freshPage) {
        return new FirmwareResult(FirmwareStatus.SUCCESS, freshPage, false);
    }

    /** SUCCESS with a sealed response whose bytes may still be computed on a worker. */
    static FirmwareResult successDeferred(SealedResponse response) {
        return new FirmwareResult(response);
    }

    public FirmwareStatus status() {
        return status;
    }

    /** A copy of the page, or null (a {@link #deferred()} page is waited for). */
    public byte[] page() {
        byte[] p = pageShared();
        return p == null ? null : p.clone();
    }

    /**
     * The page itself, not a copy, or null: for a caller that hands it on once and never writes
     * to it (the PSP actor's reply to a guest request). Writing to it would change this result.
     * A {@link #deferred()} page is waited for.
     */
    public byte[] pageShared() {
        return deferred != null ? deferred.page() : page;
    }

    /**
     * The sealed response of a guest request whose bytes may still be being computed, or null
     * (then {@link #pageShared()} holds the page as it is). A caller that only passes the page
     * on hands this on instead of waiting for the bytes.
     */
    public SealedResponse deferred() {
        return deferred;
    }

    public boolean ok() {
        return status == FirmwareStatus.SUCCESS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FirmwareResult r && status == r.status && page == r.page && deferred == r.deferred;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hashCode(status) + Objects.hashCode(page)) + Objects.hashCode(deferred);
    }

    @Override
    public String toString() {
        return "FirmwareResult[" + status + (page == null ? "" : ", " + page.length + " bytes")
                + (deferred == null ? "" : ", sealed response pending") + "]";
    }
}
