package dev.snpsim.abi.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.abi.AbiException;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever {@link AttestationReport#decode} accepts is the canonical encoding of what it decodes
 * to ({@code encode(decode(b))} equals {@code b}), for versions 2, 3 and 5 with a few bytes
 * anywhere changed; and {@link AttestationReport#validate} accepts and rejects exactly the same
 * bytes, with the same message.
 */
class ReportRoundTripPropertyTest {

    @Property(tries = 3000)
    void whateverDecodesReencodesToItself(@ForAll("mutatedReports") byte[] b) {
        AttestationReport r;
        try {
            r = AttestationReport.decode(b);
        } catch (AbiException e) {
            assertThatThrownBy(() -> AttestationReport.validate(b)).isInstanceOf(AbiException.class)
                    .hasMessage(e.getMessage());
            return;
        }
        AttestationReport.validate(b);
        assertThat(r.encode()).isEqualTo(b);
        assertThat(r.signedBytes()).isEqualTo(Arrays.copyOf(b, 0x2a0));
    }

    @Provide
    Arbitrary<byte[]> mutatedReports() {
        Arbitrary<byte[]> valid = Arbitraries.of(2, 3, 5).map(v -> AttestationReportTest.full(v).build().encode());
        Arbitrary<Integer> index = Arbitraries.oneOf(Arbitraries.integers().between(0, AttestationReport.SIZE - 1),
                Arbitraries.integers().between(0x180, 0x210)); // the version-dependent fields and reserved bytes
        Arbitrary<Byte> value = Arbitraries.oneOf(Arbitraries.of((byte) 0, (byte) 1, (byte) 0xff), Arbitraries.bytes());
        Arbitrary<int[]> edit = Combinators.combine(index, value).as((i, v) -> new int[] {i, v});
        return Combinators.combine(valid, edit.list().ofMinSize(0).ofMaxSize(3)).as((b, edits) -> {
            byte[] out = b.clone();
            for (int[] e : edits) {
                out[e[0]] = (byte) e[1];
            }
            return out;
        });
    }
}
