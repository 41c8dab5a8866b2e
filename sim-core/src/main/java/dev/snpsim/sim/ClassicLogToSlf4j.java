package dev.snpsim.sim;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.EventStream;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.slf4j.Slf4jLogger;

/**
 * Routes Pekko's classic event-stream logging (dead letters, supervision of classic actors) to
 * SLF4J in virtual time. A virtual system must start with the non-actor standard-out logger (see
 * virtual-time.conf); once it exists, an {@link Slf4jLogger} actor, which runs on the
 * simulation thread like every other actor, takes over.
 */
final class ClassicLogToSlf4j {

    private ClassicLogToSlf4j() {
    }

    static void install(ActorSystem<?> system) {
        ExtendedActorSystem classic = (ExtendedActorSystem) system.classicSystem();
        ActorRef logger = classic.systemActorOf(Props.create(Slf4jLogger.class), "snpsim-slf4j-logger");
        EventStream events = classic.eventStream();
        for (int level = 1; level <= 4; level++) {
            events.subscribe(logger, Logging.classFor(level));
        }
        events.unsubscribe(Logging.StandardOutLogger());
    }
}
