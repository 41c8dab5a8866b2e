package dev.snpsim.host.certstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random operation sequences over a few descriptions keep the table's invariants: held
 * locks never conflict, nothing that could be granted is left waiting, every grant and
 * cancel reported is real, and a closed description holds and waits for nothing.
 */
class OfdLockTableProperties {

    /** One step: an operation code and two small numbers it may use. */
    record Op(int code, int who, int what) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 7)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 200)
    void invariantsHoldUnderLinux(@ForAll("ops") List<Op> ops) {
        run(new OfdLockTable(LockFairness.LINUX), ops);
    }

    @Property(tries = 200)
    void invariantsHoldWriterPreferred(@ForAll("ops") List<Op> ops) {
        run(new OfdLockTable(LockFairness.WRITER_PREFERRED), ops);
    }

    private static void run(OfdLockTable t, List<Op> ops) {
        long[] desc = new long[4];
        for (int i = 0; i < desc.length; i++) {
            desc[i] = t.open();
        }
        List<Long> tickets = new ArrayList<>();
        for (Op op : ops) {
            long d = desc[op.who()];
            LockMode mode = op.what() % 2 == 0 ? LockMode.SHARED : LockMode.EXCLUSIVE;
            List<LockWaiter> before = t.waiters();
            LockChange c;
            boolean grantable = wouldGrant(t, d, mode);
            switch (op.code()) {
                case 0 -> {
                    c = t.tryLock(d, mode);
                    assertThat(c.status()).as("tryLock(%d, %s) with %s", d, mode, t.holders())
                            .isEqualTo(grantable ? LockChange.Status.GRANTED : LockChange.Status.DENIED);
                }
                case 1, 2 -> {
                    c = t.lock(d, mode);
                    assertThat(c.status()).as("lock(%d, %s) with %s", d, mode, t.holders())
                            .isEqualTo(grantable ? LockChange.Status.GRANTED : LockChange.Status.QUEUED);
                    if (c.status() == LockChange.Status.QUEUED) {
                        tickets.add(c.ticket());
                    }
                }
                case 3, 4 -> c = t.unlock(d);
                case 5 -> c = tickets.isEmpty() ? t.unlock(d) : t.cancel(tickets.get(op.what() % tickets.size()));
                default -> {
                    c = t.close(d);
                    assertThat(c.cancelled()).allSatisfy(w -> assertThat(w.owner()).isEqualTo(d));
                    assertThat(t.heldBy(d)).isEmpty();
                    desc[op.who()] = t.open();
                }
            }
            for (LockWaiter g : c.granted()) {
                assertThat(before).contains(g);
                assertThat(t.waiters()).doesNotContain(g);
            }
            for (LockWaiter g : c.cancelled()) {
                assertThat(before).contains(g);
            }
            checkInvariants(t);
        }
    }

    private static void checkInvariants(OfdLockTable t) {
        Map<Long, LockMode> held = t.holders();
        long exclusive = held.values().stream().filter(m -> m == LockMode.EXCLUSIVE).count();
        assertThat(exclusive == 0 || held.size() == 1).as("holders %s conflict", held).isTrue();
        List<Long> seenTickets = new ArrayList<>();
        for (LockWaiter w : t.waiters()) {
            assertThat(t.isOpen(w.owner())).isTrue();
            seenTickets.add(w.ticket());
            assertThat(couldBeGranted(t, w)).as("waiter %s left waiting in %s", w, held).isFalse();
        }
        assertThat(seenTickets).as("waiters in ticket order").isSorted().doesNotHaveDuplicates();
    }

    /** The grant rule for a new request: every waiter counts as earlier. */
    private static boolean wouldGrant(OfdLockTable t, long owner, LockMode mode) {
        return couldBeGranted(t, new LockWaiter(Long.MAX_VALUE, owner, mode));
    }

    /** The grant rule written out independently of the implementation. */
    private static boolean couldBeGranted(OfdLockTable t, LockWaiter w) {
        for (Map.Entry<Long, LockMode> h : t.holders().entrySet()) {
            if (h.getKey() != w.owner() && (h.getValue() == LockMode.EXCLUSIVE || w.mode() == LockMode.EXCLUSIVE)) {
                return false;
            }
        }
        if (t.fairness() == LockFairness.WRITER_PREFERRED && w.mode() == LockMode.SHARED
                && t.heldBy(w.owner()).isEmpty()) {
            for (LockWaiter earlier : t.waiters()) {
                if (earlier.ticket() >= w.ticket()) {
                    break;
                }
                if (earlier.owner() != w.owner() && earlier.mode() == LockMode.EXCLUSIVE) {
                    return false;
                }
            }
        }
        return true;
    }
}
