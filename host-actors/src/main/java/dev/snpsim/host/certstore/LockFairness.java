package dev.snpsim.host.certstore;

/**
 * Who goes first when readers and a writer contend for the certificate blob.
 *
 * <p>The default is {@link #WRITER_PREFERRED}. Readers of the blob are VMMs answering a
 * guest's certificate exit: QEMU's certificate path takes its shared lock non-blocking or
 * waits at most 100 ms ({@code certs-timeout}) and otherwise answers EAGAIN, which the
 * guest sees as BUSY and retries. Denying a reader therefore costs one guest retry.
 * The writer is the management tool rotating a VLEK or committing a TCB: under
 * {@link #LINUX} a steady stream of overlapping readers can keep it waiting forever,
 * and the host then never finishes the rotation. Starving readers briefly is cheap,
 * starving the writer is not.
 */
public enum LockFairness {
    /**
     * Faithful to Linux: a new request is checked only against the locks currently held,
     * never against waiting requests, so a waiting exclusive request does not stop new
     * shared grants and continuous readers can starve a writer.
     */
    LINUX,
    /**
     * Once another description's exclusive request waits, a new shared request from a
     * description that holds nothing queues behind it (or, if non-blocking, is denied).
     * A description that already holds a lock may still convert it.
     */
    WRITER_PREFERRED
}
