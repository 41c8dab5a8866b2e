package dev.snpsim.host.kds;

/** Outcome of a KDS request, with the HTTP status AMD's service answers. */
public enum KdsStatus {
    OK(200),
    /** The request names no valid chip, TCB or provider. */
    BAD_REQUEST(400),
    /** Rate limited: retry after the reply's {@code retryAfterNanos}. */
    TOO_MANY_REQUESTS(429);

    private final int httpStatus;

    KdsStatus(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
