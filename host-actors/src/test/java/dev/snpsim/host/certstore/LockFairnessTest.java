package dev.snpsim.host.certstore;

import static dev.snpsim.host.certstore.LockChange.Status.DENIED;
import static dev.snpsim.host.certstore.LockChange.Status.GRANTED;
import static dev.snpsim.host.certstore.LockChange.Status.QUEUED;
import static dev.snpsim.host.certstore.LockMode.EXCLUSIVE;
import static dev.snpsim.host.certstore.LockMode.SHARED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The two policies differ only when a writer waits while readers keep arriving: two
 * readers overlap in turn (each takes its lock before the other releases), as VMMs
 * answering many guests do.
 */
class LockFairnessTest {

    private static final int ROUNDS = 1000;

    /** Returns the round in which the writer got the lock, or -1 if it never did. */
    private static int overlappingReaders(OfdLockTable t, boolean readersWait) {
        long r1 = t.open();
        long r2 = t.open();
        long w = t.open();
        t.tryLock(r1, SHARED);
        assertThat(t.lock(w, EXCLUSIVE).status()).isEqualTo(QUEUED);
        long holder = r1;
        long other = r2;
        for (int round = 0; round < ROUNDS; round++) {
            LockChange join = readersWait ? t.lock(other, SHARED) : t.tryLock(other, SHARED);
            LockChange leave = t.unlock(holder);
            if (t.heldBy(w).isPresent()) {
                assertThat(leave.granted()).extracting(LockWaiter::owner).contains(w);
                return round;
            }
            assertThat(join.status()).isEqualTo(GRANTED);
            long swap = holder;
            holder = other;
            other = swap;
        }
        return -1;
    }

    @Test
    void linuxLetsContinuousReadersStarveTheWriter() {
        OfdLockTable t = new OfdLockTable(LockFairness.LINUX);
        assertThat(overlappingReaders(t, false)).isEqualTo(-1);
        assertThat(t.waiters()).extracting(LockWaiter::mode).containsExactly(EXCLUSIVE);
    }

    @Test
    void writerPreferredGrantsTheWriterAsSoonAsTheCurrentReaderLeaves() {
        OfdLockTable t = new OfdLockTable(LockFairness.WRITER_PREFERRED);
        assertThat(overlappingReaders(t, false)).isZero();
    }

    @Test
    void writerPreferredQueuesWaitingReadersBehindTheWriter() {
        OfdLockTable t = new OfdLockTable(LockFairness.WRITER_PREFERRED);
        long r1 = t.open();
        long r2 = t.open();
        long w = t.open();
        t.tryLock(r1, SHARED);
        t.lock(w, EXCLUSIVE);
        assertThat(t.tryLock(r2, SHARED).status()).isEqualTo(DENIED);
        LockChange queued = t.lock(r2, SHARED);
        assertThat(queued.status()).isEqualTo(QUEUED);
        assertThat(t.unlock(r1).granted()).extracting(LockWaiter::owner).containsExactly(w);
        assertThat(t.unlock(w).granted()).extracting(LockWaiter::owner).containsExactly(r2);
    }

    @Test
    void writerPreferredStillLetsAHolderConvert() {
        OfdLockTable t = new OfdLockTable(LockFairness.WRITER_PREFERRED);
        long r = t.open();
        long w = t.open();
        t.tryLock(r, SHARED);
        t.lock(w, EXCLUSIVE);
        assertThat(t.tryLock(r, SHARED).status()).as("re-request by a holder").isEqualTo(GRANTED);
    }

    @Test
    void writerPreferredReleasesBlockedReadersWhenTheWriterGivesUp() {
        OfdLockTable t = new OfdLockTable(LockFairness.WRITER_PREFERRED);
        long r1 = t.open();
        long r2 = t.open();
        long w = t.open();
        t.tryLock(r1, SHARED);
        long wt = t.lock(w, EXCLUSIVE).ticket();
        t.lock(r2, SHARED);
        LockChange cancelled = t.cancel(wt);
        assertThat(cancelled.granted()).extracting(LockWaiter::owner).containsExactly(r2);
    }

    @Test
    void linuxLetsNewReadersOvertakeAWaitingWriter() {
        OfdLockTable t = new OfdLockTable(LockFairness.LINUX);
        long r1 = t.open();
        long r2 = t.open();
        long w = t.open();
        t.tryLock(r1, SHARED);
        t.lock(w, EXCLUSIVE);
        assertThat(t.tryLock(r2, SHARED).status()).isEqualTo(GRANTED);
    }

    @Test
    void readersQueuedBeforeTheWriterStillGoFirst() {
        OfdLockTable t = new OfdLockTable(LockFairness.WRITER_PREFERRED);
        long x = t.open();
        long r = t.open();
        long w = t.open();
        long late = t.open();
        t.tryLock(x, EXCLUSIVE);
        t.lock(r, SHARED);
        t.lock(w, EXCLUSIVE);
        t.lock(late, SHARED);
        assertThat(t.unlock(x).granted()).extracting(LockWaiter::owner).containsExactly(r);
        assertThat(t.unlock(r).granted()).extracting(LockWaiter::owner).containsExactly(w);
        assertThat(t.unlock(w).granted()).extracting(LockWaiter::owner).containsExactly(late);
    }
}
