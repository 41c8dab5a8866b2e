package dev.snpsim.host.certstore;

import dev.snpsim.sim.SimConfig;
import dev.snpsim.sim.Simulation;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Not a test: a main that measures what the store saved by keeping an owner watched while it has
 * no description open. An owner asks and the store answers, {@code n} round trips, once with a
 * watch of the owner on every odd answer and an unwatch on every even one (the former store: one
 * of each per Open/Close of a VMM's certificate request), once without; alternating in one
 * process, in virtual time. Prints nanoseconds per round trip and the difference per watch and
 * unwatch pair. Run from the test classpath:
 * {@code java -cp <test-classes>:<classes>:<deps> dev.snpsim.host.certstore.OwnerWatchCost [n]}.
 */
public final class OwnerWatchCost {
    private OwnerWatchCost() {
    }

    private record Ask(int left, ActorRef<Answer> replyTo) {
    }

    private record Answer(int left, ActorRef<Ask> store) {
    }

    private static Behavior<Ask> store(boolean watch) {
        return Behaviors.setup(ctx -> Behaviors.receiveMessage(m -> {
            if (watch) {
                if ((m.left() & 1) == 1) {
                    ctx.watchWith(m.replyTo(), m);   // any message of the store's type will do
                } else {
                    ctx.unwatch(m.replyTo());
                }
            }
            m.replyTo().tell(new Answer(m.left() - 1, ctx.getSelf()));
            return Behaviors.same();
        }));
    }

    private static Behavior<Answer> owner() {
        return Behaviors.setup(ctx -> Behaviors.receiveMessage(a -> {
            if (a.left() > 0) {
                a.store().tell(new Ask(a.left(), ctx.getSelf()));
            }
            return Behaviors.same();
        }));
    }

    private static long run(Simulation<Void> sim, boolean watch, int n, int no) {
        ActorRef<Ask> store = sim.spawn(store(watch), "store-" + no);
        ActorRef<Answer> owner = sim.spawn(owner(), "owner-" + no);
        sim.runUntilIdle();
        long t0 = System.nanoTime();
        sim.tell(owner, new Answer(n, store));
        sim.runUntilIdle();
        return System.nanoTime() - t0;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "watch", SimConfig.virtual(1))) {
            double[] saved = new double[10];
            for (int round = 0; round < saved.length; round++) {
                double with = run(sim, true, n, 2 * round) / (double) n;
                double without = run(sim, false, n, 2 * round + 1) / (double) n;
                saved[round] = 2 * (with - without);
                System.out.printf("round %d  with watch/unwatch %6.0f ns   without %6.0f ns per round trip   ratio %.3f%n",
                        round, with, without, without / with);
            }
            Arrays.sort(saved);
            System.out.printf("median cost of one watch + unwatch pair: %.0f ns%n", (saved[4] + saved[5]) / 2);
        }
    }
}
