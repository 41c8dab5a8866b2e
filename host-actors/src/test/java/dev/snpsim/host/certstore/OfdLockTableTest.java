package dev.snpsim.host.certstore;

import static dev.snpsim.host.certstore.LockChange.Status.DENIED;
import static dev.snpsim.host.certstore.LockChange.Status.DONE;
import static dev.snpsim.host.certstore.LockChange.Status.GRANTED;
import static dev.snpsim.host.certstore.LockChange.Status.NOT_FOUND;
import static dev.snpsim.host.certstore.LockChange.Status.QUEUED;
import static dev.snpsim.host.certstore.LockMode.EXCLUSIVE;
import static dev.snpsim.host.certstore.LockMode.SHARED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Semantics shared by both fairness policies, then the conversions Linux performs. */
class OfdLockTableTest {

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void sharedLocksCoexist(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long a = t.open();
        long b = t.open();
        assertThat(t.tryLock(a, SHARED).status()).isEqualTo(GRANTED);
        assertThat(t.tryLock(b, SHARED).status()).isEqualTo(GRANTED);
        assertThat(t.holders()).isEqualTo(Map.of(a, SHARED, b, SHARED));
    }

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void sharedHoldersBlockAnExclusiveRequestUntilTheLastOneLeaves(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long r1 = t.open();
        long r2 = t.open();
        long w = t.open();
        t.tryLock(r1, SHARED);
        t.tryLock(r2, SHARED);
        assertThat(t.tryLock(w, EXCLUSIVE).status()).isEqualTo(DENIED);
        LockChange queued = t.lock(w, EXCLUSIVE);
        assertThat(queued.status()).isEqualTo(QUEUED);
        assertThat(t.unlock(r1).granted()).isEmpty();
        LockChange last = t.unlock(r2);
        assertThat(last.granted()).containsExactly(new LockWaiter(queued.ticket(), w, EXCLUSIVE));
        assertThat(t.heldBy(w)).contains(EXCLUSIVE);
    }

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void exclusiveHolderDeniesNonBlockingSharedRequest(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long w = t.open();
        long r = t.open();
        assertThat(t.tryLock(w, EXCLUSIVE).status()).isEqualTo(GRANTED);
        assertThat(t.tryLock(r, SHARED).status()).isEqualTo(DENIED);
        assertThat(t.heldBy(r)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void ownerIsTheDescriptionNotTheCaller(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long d1 = t.open();
        long d2 = t.open(); // a second open(2) by the same process: a separate owner
        t.tryLock(d1, EXCLUSIVE);
        assertThat(t.tryLock(d2, EXCLUSIVE).status()).isEqualTo(DENIED);
        assertThat(t.tryLock(d1, EXCLUSIVE).status()).as("re-request by the holder").isEqualTo(GRANTED);
    }

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void cancelledWaiterIsNeverGranted(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long w = t.open();
        long r = t.open();
        t.tryLock(w, EXCLUSIVE);
        long ticket = t.lock(r, SHARED).ticket();
        assertThat(t.cancel(ticket).status()).isEqualTo(DONE);
        assertThat(t.cancel(ticket).status()).isEqualTo(NOT_FOUND);
        assertThat(t.unlock(w).granted()).isEmpty();
        assertThat(t.holders()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void closeReleasesTheLockAndDropsTheWaits(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long a = t.open();
        long b = t.open();
        long c = t.open();
        t.tryLock(a, SHARED);
        t.tryLock(b, SHARED);
        long bUpgrade = t.lock(b, EXCLUSIVE).ticket();
        long cTicket = t.lock(c, EXCLUSIVE).ticket();
        LockChange closed = t.close(b);
        assertThat(closed.cancelled()).containsExactly(new LockWaiter(bUpgrade, b, EXCLUSIVE));
        assertThat(closed.granted()).isEmpty(); // a still holds shared
        assertThat(t.isOpen(b)).isFalse();
        LockChange aClosed = t.close(a);
        assertThat(aClosed.granted()).containsExactly(new LockWaiter(cTicket, c, EXCLUSIVE));
        assertThatThrownBy(() -> t.tryLock(b, SHARED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("description " + b + " is not open");
    }

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void unlockKeepsTheDescriptionsOwnWaits(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long a = t.open();
        long b = t.open();
        t.tryLock(b, EXCLUSIVE);
        long ticket = t.lock(a, SHARED).ticket();
        assertThat(t.unlock(a).granted()).isEmpty();
        assertThat(t.waiters()).extracting(LockWaiter::ticket).containsExactly(ticket);
        assertThat(t.unlock(b).granted()).extracting(LockWaiter::owner).containsExactly(a);
    }

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void deniedUpgradeKeepsTheSharedLock(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long a = t.open();
        long b = t.open();
        t.tryLock(a, SHARED);
        t.tryLock(b, SHARED);
        assertThat(t.tryLock(a, EXCLUSIVE).status()).isEqualTo(DENIED);
        assertThat(t.heldBy(a)).contains(SHARED);
        assertThat(t.lock(a, EXCLUSIVE).status()).isEqualTo(QUEUED);
        assertThat(t.heldBy(a)).as("kept while waiting").contains(SHARED);
        assertThat(t.unlock(b).granted()).extracting(LockWaiter::owner).containsExactly(a);
        assertThat(t.heldBy(a)).contains(EXCLUSIVE);
    }

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void soleSharedHolderUpgradesAtOnce(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long a = t.open();
        t.tryLock(a, SHARED);
        assertThat(t.tryLock(a, EXCLUSIVE).status()).isEqualTo(GRANTED);
        assertThat(t.holders()).isEqualTo(Map.of(a, EXCLUSIVE));
    }

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void downgradeLetsWaitingReadersIn(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long w = t.open();
        long r1 = t.open();
        long r2 = t.open();
        t.tryLock(w, EXCLUSIVE);
        t.lock(r1, SHARED);
        t.lock(r2, SHARED);
        LockChange down = t.tryLock(w, SHARED);
        assertThat(down.status()).isEqualTo(GRANTED);
        assertThat(down.granted()).extracting(LockWaiter::owner).containsExactly(r1, r2);
        assertThat(t.holders()).isEqualTo(Map.of(w, SHARED, r1, SHARED, r2, SHARED));
    }

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void mutualUpgradeWaitsUntilOneSideCancels(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long a = t.open();
        long b = t.open();
        t.tryLock(a, SHARED);
        t.tryLock(b, SHARED);
        long ta = t.lock(a, EXCLUSIVE).ticket();
        assertThat(t.lock(b, EXCLUSIVE).status()).as("no deadlock detection for OFD locks").isEqualTo(QUEUED);
        t.cancel(ta);
        // a cancelled its upgrade but still holds shared: b keeps waiting until a unlocks
        assertThat(t.heldBy(a)).contains(SHARED);
        assertThat(t.unlock(a).granted()).extracting(LockWaiter::owner).containsExactly(b);
    }

    @ParameterizedTest
    @EnumSource(LockFairness.class)
    void writersAreGrantedInArrivalOrder(LockFairness fairness) {
        OfdLockTable t = new OfdLockTable(fairness);
        long h = t.open();
        long w1 = t.open();
        long w2 = t.open();
        t.tryLock(h, SHARED);
        t.lock(w1, EXCLUSIVE);
        t.lock(w2, EXCLUSIVE);
        assertThat(t.unlock(h).granted()).extracting(LockWaiter::owner).containsExactly(w1);
        assertThat(t.unlock(w1).granted()).extracting(LockWaiter::owner).containsExactly(w2);
    }

    @Test
    void unlockWithoutALockSucceeds() {
        OfdLockTable t = new OfdLockTable();
        long a = t.open();
        assertThat(t.unlock(a).status()).isEqualTo(DONE);
        assertThat(t.fairness()).isEqualTo(LockFairness.WRITER_PREFERRED);
    }

    @Test
    void descriptionIdsAreNeverReused() {
        OfdLockTable t = new OfdLockTable();
        long a = t.open();
        t.close(a);
        assertThat(t.open()).isNotEqualTo(a);
    }

    @Test
    void missingModeIsRejected() {
        OfdLockTable t = new OfdLockTable();
        long a = t.open();
        assertThatThrownBy(() -> t.lock(a, null)).hasMessage("lock mode is missing");
        assertThat(t.waiters()).isEqualTo(List.of());
    }
}
