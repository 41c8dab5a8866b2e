package dev.snpsim.sim;

import dev.snpsim.sim.metrics.Metrics;
import dev.snpsim.sim.trace.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A timer-heavy multi-actor workload written as model code: nodes tick at fixed rates, restart
 * jitter timers (cancelling the previous one), send hellos to random peers, answer with acks
 * after random delays, and stop after a number of ticks. Randomness from SimRandom, time from
 * SimClock, events into the Trace.
 */
final class TimerWorkload {

    sealed interface Command {
    }

    record Start(List<ActorRef<Command>> peers) implements Command {
    }

    record Tick() implements Command {
    }

    record Jitter(int tick) implements Command {
    }

    record Hello(int from, int n, long sentAt) implements Command {
    }

    record AckDue(int to, int n, long sentAt) implements Command {
    }

    record Ack(int from, int n, long sentAt) implements Command {
    }

    /** Asked by a peer; answered after a random delay, sometimes too late. */
    record Question(int n, ActorRef<Answer> replyTo) implements Command {
    }

    record AnswerDue(Question q) implements Command {
    }

    record Answer(int from, int n) {
    }

    /** The outcome of an ask, delivered to the asker. */
    record Asked(int n, Answer answer, String failure) implements Command {
    }

    private TimerWorkload() {
    }

    /** The guardian: spawns the nodes and introduces them to each other. */
    static Behavior<Void> guardian(int nodes, int maxTicks) {
        return Behaviors.setup(ctx -> {
            List<ActorRef<Command>> refs = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                refs.add(ctx.spawn(Node.create(i, maxTicks), "node-" + i));
            }
            List<ActorRef<Command>> peers = List.copyOf(refs);
            for (ActorRef<Command> r : peers) {
                r.tell(new Start(peers));
            }
            return Behaviors.empty();
        });
    }

    /** Tick period of node i. */
    static Duration period(int id) {
        return Duration.ofMillis(1 + id % 5);
    }

    static final class Node extends AbstractBehavior<Command> {
        private final int id;
        private final String name;
        private final int maxTicks;
        private final TimerScheduler<Command> timers;
        private final RandomGenerator rnd;
        private final Trace trace;
        private final Metrics metrics;
        private final SimClock clock;
        private List<ActorRef<Command>> peers = List.of();
        private int ticks;

        static Behavior<Command> create(int id, int maxTicks) {
            return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new Node(ctx, t, id, maxTicks)));
        }

        private Node(ActorContext<Command> ctx, TimerScheduler<Command> timers, int id, int maxTicks) {
            super(ctx);
            this.id = id;
            this.name = "node-" + id;
            this.maxTicks = maxTicks;
            this.timers = timers;
            this.rnd = SimRandom.get(ctx.getSystem()).stream(name);
            this.trace = Trace.get(ctx.getSystem());
            this.metrics = Metrics.get(ctx.getSystem());
            this.clock = SimClock.get(ctx.getSystem());
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Start.class, this::onStart)
                    .onMessage(Tick.class, this::onTick)
                    .onMessage(Jitter.class, this::onJitter)
                    .onMessage(Hello.class, this::onHello)
                    .onMessage(AckDue.class, this::onAckDue)
                    .onMessage(Ack.class, this::onAck)
                    .onMessage(Question.class, this::onQuestion)
                    .onMessage(AnswerDue.class, this::onAnswerDue)
                    .onMessage(Asked.class, this::onAsked)
                    .build();
        }

        private Behavior<Command> onStart(Start s) {
            peers = s.peers();
            timers.startTimerAtFixedRate("tick", new Tick(), period(id));
            trace.record(name, "start", "peers", peers.size(), "self", getContext().getSelf());
            return this;
        }

        private Behavior<Command> onTick(Tick t) {
            ticks++;
            metrics.counter("ticks/" + name).increment();
            trace.record(name, "tick", "n", ticks);
            if (rnd.nextInt(3) == 0) {
                ActorRef<Command> peer = peers.get(rnd.nextInt(peers.size()));
                peer.tell(new Hello(id, ticks, clock.now()));
            }
            timers.startSingleTimer("jitter", new Jitter(ticks), Duration.ofNanos(1000L * rnd.nextInt(2500)));
            if (ticks % 10 == 0) {
                ActorRef<Command> peer = peers.get(rnd.nextInt(peers.size()));
                int n = ticks;
                SimAsk.ask(getContext(), Answer.class, peer, Duration.ofMillis(1), replyTo -> new Question(n, replyTo),
                        (answer, failure) -> new Asked(n, answer, failure == null ? null
                                : failure.getClass().getSimpleName()));
            }
            if (ticks >= maxTicks) {
                trace.record(name, "stop", "ticks", ticks);
                return Behaviors.stopped();
            }
            return this;
        }

        private Behavior<Command> onJitter(Jitter j) {
            trace.record(name, "jitter", "tick", j.tick(), "late", ticks - j.tick());
            return this;
        }

        private Behavior<Command> onHello(Hello h) {
            trace.record(name, "hello", "from", h.from(), "n", h.n());
            metrics.counter("hellos").increment();
            if (rnd.nextBoolean()) {
                timers.startSingleTimer("ack-" + h.from() + "-" + h.n(), new AckDue(h.from(), h.n(), h.sentAt()),
                        Duration.ofNanos(1000L * (1 + rnd.nextInt(500))));
            }
            return this;
        }

        private Behavior<Command> onAckDue(AckDue a) {
            peers.get(a.to()).tell(new Ack(id, a.n(), a.sentAt()));
            return this;
        }

        private Behavior<Command> onQuestion(Question q) {
            timers.startSingleTimer(q, new AnswerDue(q), Duration.ofNanos(1000L * rnd.nextInt(2000)));
            return this;
        }

        private Behavior<Command> onAnswerDue(AnswerDue d) {
            d.q().replyTo().tell(new Answer(id, d.q().n()));
            trace.record(name, "answer", "to", d.q().replyTo(), "n", d.q().n());
            return this;
        }

        private Behavior<Command> onAsked(Asked a) {
            trace.record(name, "asked", "n", a.n(), "answer", a.answer(), "failure", a.failure());
            metrics.counter(a.answer() != null ? "asks/ok" : "asks/failed").increment();
            return this;
        }

        private Behavior<Command> onAck(Ack a) {
            long rtt = clock.now() - a.sentAt();
            metrics.histogram("rtt").recordValue(rtt);
            trace.record(name, "ack", "from", a.from(), "n", a.n(), "rtt", rtt);
            return this;
        }
    }
}
