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

    public FirmwareResult(FirmwareStatus status, byte[] page) {
        this(status, page, true);
    }

    /** With {@code copy} false, takes {@code page} as it is: for pages nobody else holds. */
    private FirmwareResult(FirmwareStatus status, byte[] page, boolean copy) {
        this.status = status;
        this.page = copy && page != null ? page.clone() : page;
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

    public FirmwareStatus status() {
        return status;
    }

    /** A copy of the page, or null. */
    public byte[] page() {
        return page == null ? null : page.clone();
    }

    /**
     * The page itself, not a copy, or null: for a caller that hands it on once and never writes
     * to it (the PSP actor's reply to a guest request). Writing to it would change this result.
     */
    public byte[] pageShared() {
        return page;
    }

    public boolean ok() {
        return status == FirmwareStatus.SUCCESS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FirmwareResult r && status == r.status && page == r.page;
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(status) + Objects.hashCode(page);
    }

    @Override
    public String toString() {
        return "FirmwareResult[" + status + (page == null ? "" : ", " + page.length + " bytes") + "]";
    }
}
