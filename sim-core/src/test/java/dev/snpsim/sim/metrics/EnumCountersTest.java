package dev.snpsim.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class EnumCountersTest {
    private enum Answer { OK, NO_SPACE, AGAIN }

    private final Metrics metrics = new Metrics(false);

    private EnumCounters<Answer> answers() {
        return new EnumCounters<>(metrics, Answer.class, a -> "vmm.answer." + a.name().toLowerCase(Locale.ROOT));
    }

    @Test
    void createsNoCounterBeforeItsConstantComesUp() {
        EnumCounters<Answer> answers = answers();
        assertThat(metrics.counters()).isEmpty();
        answers.increment(Answer.AGAIN);
        assertThat(metrics.counters().keySet()).containsExactly("vmm.answer.again");
    }

    @Test
    void countsIntoTheCounterOfTheKeySharedWithOtherHandlesAndLookUps() {
        EnumCounters<Answer> a = answers();
        EnumCounters<Answer> b = answers();
        a.increment(Answer.OK);
        a.increment(Answer.OK);
        b.increment(Answer.OK);
        metrics.counter("vmm.answer.ok").add(10);
        b.increment(Answer.NO_SPACE);
        assertThat(a.get(Answer.OK)).isSameAs(metrics.counter("vmm.answer.ok")).isSameAs(b.get(Answer.OK));
        assertThat(a.get(Answer.OK).get()).isEqualTo(13);
        assertThat(metrics.counter("vmm.answer.no_space").get()).isEqualTo(1);
        assertThat(metrics.counters().keySet()).containsExactly("vmm.answer.no_space", "vmm.answer.ok");
    }
}
