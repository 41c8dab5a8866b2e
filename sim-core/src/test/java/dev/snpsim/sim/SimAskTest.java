package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Asking from model code stays on the simulation thread and in virtual time. */
class SimAskTest {

    record Question(String text, Duration delay, ActorRef<String> replyTo) {
    }

    record StatusQuestion(boolean ok, ActorRef<StatusReply<String>> replyTo) {
    }

    /** Answers after the question's delay. */
    static Behavior<Question> answerer() {
        return Behaviors.setup(ctx -> Behaviors.receive(Question.class).onAnyMessage(q -> {
            ctx.scheduleOnce(q.delay(), q.replyTo(), "re: " + q.text());
            return Behaviors.same();
        }).build());
    }

    /** Answers with a status reply at once. */
    static Behavior<StatusQuestion> statusAnswerer() {
        return Behaviors.receiveMessage(q -> {
            q.replyTo().tell(q.ok() ? StatusReply.success("fine") : StatusReply.error("refused"));
            return Behaviors.same();
        });
    }

    /** Asks once on start and forwards the outcome (answer or failure class) with its arrival time. */
    static Behavior<String> asker(ActorRef<Question> target, Duration delay, Duration timeout,
            ActorRef<String> out) {
        return Behaviors.setup(ctx -> {
            SimAsk.ask(ctx, String.class, target, timeout, r -> new Question("hi", delay, r),
                    (answer, failure) -> answer != null ? answer : failure.getClass().getSimpleName());
            return Behaviors.receiveMessage(outcome -> {
                out.tell(outcome + "@" + SimClock.get(ctx.getSystem()).now());
                return Behaviors.same();
            });
        });
    }

    private final Simulation<Question> sim = Simulation.create(answerer(), "ask", SimConfig.virtual(5));

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void theAnswerArrivesAtTheInstantItIsSent() {
        SimProbe<String> out = sim.probe("out");
        sim.spawn(asker(sim.system(), Duration.ofMillis(7), Duration.ofSeconds(1), out.ref()), "asker");
        RunStats stats = sim.runUntilIdle();
        assertThat(out.messages()).containsExactly("re: hi@7000000");
        assertThat(stats.idle()).isTrue();
        assertThat(sim.pendingTimers()).as("the ask timeout was cancelled").isZero();
    }

    @Test
    void aLateAnswerTimesOutInVirtualTime() {
        SimProbe<String> out = sim.probe("out");
        sim.spawn(asker(sim.system(), Duration.ofSeconds(5), Duration.ofSeconds(2), out.ref()), "asker");
        sim.runUntilIdle();
        assertThat(out.messages()).containsExactly("TimeoutException@2000000000");
    }

    @Test
    void askWithStatusMapsErrorsToFailures() {
        ActorRef<StatusQuestion> status = sim.spawn(statusAnswerer(), "status");
        SimProbe<String> out = sim.probe("out");
        for (boolean ok : new boolean[] {true, false}) {
            sim.spawn(Behaviors.<String>setup(ctx -> {
                SimAsk.askWithStatus(ctx, String.class, status, Duration.ofSeconds(1),
                        r -> new StatusQuestion(ok, r),
                        (value, failure) -> value != null ? value : "error: " + failure.getMessage());
                return Behaviors.receiveMessage(m -> {
                    out.ref().tell(m);
                    return Behaviors.same();
                });
            }), "asker-" + ok);
            sim.runUntilIdle();
        }
        assertThat(out.messages()).containsExactly("fine", "error: refused");
    }

    @Test
    void askFromOutsideGivesAPlainFutureCompletedDuringTheRun() throws Exception {
        CompletableFuture<String> reply = sim.ask(sim.system(), r -> new Question("out", Duration.ofMillis(3), r),
                Duration.ofSeconds(1));
        CompletableFuture<Integer> length = reply.thenApply(String::length);
        sim.runUntilIdle();
        assertThat(reply.getNow(null)).isEqualTo("re: out");
        assertThat(length.getNow(-1)).as("dependent stages run on the simulation thread too").isEqualTo(7);
        CompletableFuture<String> never = sim.ask(sim.system(), r -> new Question("x", Duration.ofDays(1), r),
                Duration.ofSeconds(1));
        sim.runFor(Duration.ofSeconds(2));
        assertThat(never).isCompletedExceptionally();
        assertThat(never.handle((v, e) -> e).get()).isInstanceOf(TimeoutException.class);
    }
}
