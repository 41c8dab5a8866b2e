package dev.snpsim.bench.sim;

import dev.snpsim.sim.SimRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The actor workloads the benchmark drives. */
final class Workloads {

    private Workloads() {
    }

    /** A ball bounced between two players until its count runs out. */
    record Ball(int left, ActorRef<Ball> from) {
    }

    /** Counts what happened, for checking the workload really ran. */
    static final class Tally {
        final AtomicLong messages = new AtomicLong();
        final AtomicLong timers = new AtomicLong();
    }

    /** A player returns the ball until it is used up. */
    static Behavior<Ball> player(Tally tally) {
        return Behaviors.receive((ctx, ball) -> {
            tally.messages.incrementAndGet();
            if (ball.left() > 0) {
                ball.from().tell(new Ball(ball.left() - 1, ctx.getSelf()));
            }
            return Behaviors.same();
        });
    }

    /** Guardian: pairs of players, one ball each, bounced rounds times. */
    static Behavior<Void> pingPong(int pairs, int rounds, Tally tally) {
        return Behaviors.setup(ctx -> {
            for (int i = 0; i < pairs; i++) {
                ActorRef<Ball> a = ctx.spawn(player(tally), "a-" + i);
                ActorRef<Ball> b = ctx.spawn(player(tally), "b-" + i);
                a.tell(new Ball(rounds - 1, b));
            }
            return Behaviors.empty();
        });
    }

    enum Tick { TICK, JITTER }

    /**
     * A ticker: a fixed-rate timer at period plus a jitter timer restarted on every tick (so the
     * previous one is cancelled if still pending); stops after ticks ticks.
     */
    static Behavior<Tick> ticker(String id, Duration period, long ticks, Tally tally) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            RandomGenerator rnd = SimRandom.get(ctx.getSystem()).stream(id);
            long[] count = {0};
            timers.startTimerAtFixedRate("tick", Tick.TICK,
                    Duration.ofNanos(rnd.nextLong(period.toNanos()) + 1), period);
            return Behaviors.receive(Tick.class).onMessageEquals(Tick.TICK, () -> {
                tally.timers.incrementAndGet();
                timers.startSingleTimer("jitter", Tick.JITTER, Duration.ofNanos(rnd.nextLong(2 * period.toNanos())));
                if (++count[0] >= ticks) {
                    return Behaviors.stopped();
                }
                return Behaviors.same();
            }).onMessageEquals(Tick.JITTER, () -> {
                tally.timers.incrementAndGet();
                return Behaviors.same();
            }).build();
        }));
    }

    /** Guardian: n tickers. */
    static Behavior<Void> tickers(int n, Duration period, long ticks, Tally tally) {
        return Behaviors.setup(ctx -> {
            for (int i = 0; i < n; i++) {
                ctx.spawn(ticker("ticker-" + i, period, ticks, tally), "ticker-" + i);
            }
            return Behaviors.empty();
        });
    }

    /** A sparse actor: one single timer per period, re-armed on every firing, forever. */
    static Behavior<Tick> sparse(String id, Duration period, Tally tally) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            RandomGenerator rnd = SimRandom.get(ctx.getSystem()).stream(id);
            timers.startSingleTimer(Tick.TICK, Duration.ofNanos(rnd.nextLong(period.toNanos())));
            return Behaviors.receive(Tick.class).onAnyMessage(t -> {
                tally.timers.incrementAndGet();
                timers.startSingleTimer(Tick.TICK, period);
                return Behaviors.same();
            }).build();
        }));
    }

    /** Guardian: n sparse actors. */
    static Behavior<Void> sparseFleet(int n, Duration period, Tally tally) {
        return Behaviors.setup(ctx -> {
            for (int i = 0; i < n; i++) {
                ctx.spawn(sparse("sparse-" + i, period, tally), "sparse-" + i);
            }
            return Behaviors.empty();
        });
    }
}
