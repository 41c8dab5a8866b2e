package dev.snpsim.sim;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Classic event-stream logging reaches SLF4J in virtual time, on the simulation thread. */
class ClassicLoggingTest {

    @Test
    void classicWarningsGoToSlf4j() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try (Simulation<Void> sim = Simulation.create(Behaviors.empty(), "logs", SimConfig.virtual(1))) {
            sim.system().classicSystem().log().warning("classic warning {}", 42);
            sim.runUntilIdle();
            assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("classic warning 42");
        } finally {
            root.detachAppender(captured);
        }
    }
}
