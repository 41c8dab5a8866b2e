package dev.snpsim.sim;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import scala.concurrent.ExecutionContext;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;

/**
 * Deterministic replacements for the Java DSL's {@code ActorContext.ask}, {@code askWithStatus}
 * and {@code pipeToSelf}. Use these in model code.
 *
 * <p>Why: Pekko's Java {@code ask} turns a Scala future into a {@code CompletionStage}, and its
 * {@code pipeToSelf} calls {@code handle} on that stage. Scala's stage runs {@code handle}
 * asynchronously on the common fork-join pool (on a 2-CPU machine, on a fresh thread per
 * call). The answer then comes back from another thread at a random moment of virtual time,
 * after the driver may already have called the system idle. These helpers complete a plain
 * {@code CompletableFuture} on the thread that completed the Scala future, which is the
 * simulation thread, so the answer is queued at once, in order.
 *
 * <pre>{@code
 * SimAsk.ask(getContext(), Psp.Reply.class, psp, Duration.ofSeconds(1),
 *         replyTo -> new Psp.Request(cmd, replyTo),
 *         (reply, failure) -> new WrappedReply(reply, failure));
 * }</pre>
 */
public final class SimAsk {

    /** Runs callbacks on the thread that completes the future. */
    private static final ExecutionContext SAME_THREAD = ExecutionContext.fromExecutor((Executor) Runnable::run);

    private SimAsk() {
    }

    /**
     * Like {@code ActorContext.ask}: sends {@code createRequest(replyTo)} to target and delivers
     * {@code applyToResponse(reply, failure)} to the actor itself; the timeout runs on the
     * simulation clock.
     */
    public static <Req, Res, T> void ask(ActorContext<T> context, Class<Res> responseClass, RecipientRef<Req> target,
            Duration timeout, Function<ActorRef<Res>, Req> createRequest,
            BiFunction<Res, Throwable, T> applyToResponse) {
        CompletionStage<Res> reply = AskPattern.ask(target, createRequest::apply, timeout,
                context.getSystem().scheduler());
        context.pipeToSelf(onCompletingThread(reply), applyToResponse::apply);
    }

    /**
     * Like {@code ActorContext.askWithStatus}: a {@link StatusReply} error becomes the failure
     * (a {@code StatusReply.ErrorMessage} for text errors).
     */
    public static <Req, Res, T> void askWithStatus(ActorContext<T> context, Class<Res> responseClass,
            RecipientRef<Req> target, Duration timeout, Function<ActorRef<StatusReply<Res>>, Req> createRequest,
            BiFunction<Res, Throwable, T> applyToResponse) {
        CompletionStage<StatusReply<Res>> reply = AskPattern.ask(target, createRequest::apply, timeout,
                context.getSystem().scheduler());
        context.pipeToSelf(onCompletingThread(reply), (status, failure) -> {
            if (failure != null) {
                return applyToResponse.apply(null, failure);
            }
            return status.isSuccess() ? applyToResponse.apply(status.getValue(), null)
                    : applyToResponse.apply(null, status.getError());
        });
    }

    /**
     * Like {@code ActorContext.pipeToSelf}, but safe for stages made from Scala futures (such as
     * Pekko's {@code AskPattern.ask}).
     */
    public static <V, T> void pipeToSelf(ActorContext<T> context, CompletionStage<V> stage,
            BiFunction<V, Throwable, T> applyToResult) {
        context.pipeToSelf(onCompletingThread(stage), applyToResult::apply);
    }

    /**
     * A plain {@link CompletableFuture} completed on the thread that completes stage, whose
     * dependent actions (added without {@code Async}) also run there.
     */
    public static <V> CompletableFuture<V> onCompletingThread(CompletionStage<V> stage) {
        CompletableFuture<V> out = new CompletableFuture<>();
        FutureConverters.asScala(stage).onComplete(result -> {
            if (result.isSuccess()) {
                out.complete(result.get());
            } else {
                out.completeExceptionally(result.failed().get());
            }
            return BoxedUnit.UNIT;
        }, SAME_THREAD);
        return out;
    }
}
