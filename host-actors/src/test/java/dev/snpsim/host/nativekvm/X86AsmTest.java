package dev.snpsim.host.nativekvm;

import static dev.snpsim.host.nativekvm.X86Asm.Reg.EAX;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.EBP;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.EBX;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.ECX;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.EDI;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.EDX;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.ESI;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.ESP;
import static dev.snpsim.host.nativekvm.X86Asm.mem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snpsim.host.nativekvm.X86Asm.Label;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Each instruction's encoding against bytes derived from the Intel SDM volume 2 opcode tables
 * (ModRM: mod << 6 | reg << 3 | rm) and confirmed with GNU as 2.x ({@code as --32}, Intel syntax).
 */
class X86AsmTest {

    private static String bytes(Consumer<X86Asm> emit) {
        X86Asm a = new X86Asm();
        emit.accept(a);
        return HexFormat.ofDelimiter(" ").formatHex(a.assemble());
    }

    @Test
    void movForms() {
        assertThat(bytes(a -> a.mov(EAX, 0x12345678))).isEqualTo("b8 78 56 34 12");     // B8+rd id
        assertThat(bytes(a -> a.mov(ESI, 1))).isEqualTo("be 01 00 00 00");
        assertThat(bytes(a -> a.mov(EBX, EAX))).isEqualTo("89 c3");                     // 89 /r, mod 11
        assertThat(bytes(a -> a.mov(EAX, mem(ESI, 0x3A4)))).isEqualTo("8b 86 a4 03 00 00"); // mod 10 disp32
        assertThat(bytes(a -> a.mov(mem(ESI, 0x398), EAX))).isEqualTo("89 86 98 03 00 00");
        assertThat(bytes(a -> a.mov(mem(ESI, 0x390), 0x8000_0012)))
                .isEqualTo("c7 86 90 03 00 00 12 00 00 80");                            // C7 /0 id
        assertThat(bytes(a -> a.mov(EAX, mem(EDI, 0)))).isEqualTo("8b 07");              // mod 00
        assertThat(bytes(a -> a.mov(EAX, mem(EDI, 0x10)))).isEqualTo("8b 47 10");        // mod 01 disp8
        assertThat(bytes(a -> a.mov(mem(EBP, 0), EAX))).isEqualTo("89 45 00");           // ebp needs disp8 0
        assertThat(bytes(a -> a.lea(EAX, mem(ESI, 0x2000)))).isEqualTo("8d 86 00 20 00 00");
    }

    @Test
    void arithmeticForms() {
        assertThat(bytes(a -> a.add(EAX, 24))).isEqualTo("83 c0 18");                 // 83 /0 ib
        assertThat(bytes(a -> a.add(EDI, 24))).isEqualTo("83 c7 18");
        assertThat(bytes(a -> a.add(ECX, 0x1000))).isEqualTo("81 c1 00 10 00 00");    // 81 /0 id
        assertThat(bytes(a -> a.add(EAX, 0x1000))).isEqualTo("05 00 10 00 00");       // 05 id
        assertThat(bytes(a -> a.add(EAX, EBX))).isEqualTo("01 d8");
        assertThat(bytes(a -> a.sub(EAX, EBX))).isEqualTo("29 d8");
        assertThat(bytes(a -> a.or(EAX, mem(EDI, 4)))).isEqualTo("0b 47 04");
        assertThat(bytes(a -> a.xor(EDX, EDX))).isEqualTo("31 d2");
        assertThat(bytes(a -> a.shl(ECX, 12))).isEqualTo("c1 e1 0c");                 // C1 /4 ib
        assertThat(bytes(a -> a.inc(EDX))).isEqualTo("42");                           // 40+rd
        assertThat(bytes(a -> a.inc(mem(ESI, 0x1008)))).isEqualTo("ff 86 08 10 00 00"); // FF /0
        assertThat(bytes(a -> a.dec(mem(ESI, 0x1004)))).isEqualTo("ff 8e 04 10 00 00"); // FF /1
    }

    @Test
    void compareForms() {
        assertThat(bytes(a -> a.cmp(EAX, 2))).isEqualTo("83 f8 02");                  // 83 /7 ib
        assertThat(bytes(a -> a.cmp(EAX, 256))).isEqualTo("3d 00 01 00 00");          // 3D id
        assertThat(bytes(a -> a.cmp(EBX, 256))).isEqualTo("81 fb 00 01 00 00");       // 81 /7 id
        assertThat(bytes(a -> a.cmp(mem(ESI, 0x1004), 0))).isEqualTo("83 be 04 10 00 00 00");
        assertThat(bytes(a -> a.cmp(EAX, ECX))).isEqualTo("39 c8");
        assertThat(bytes(a -> a.cmp(EAX, mem(ESI, 0x1000)))).isEqualTo("3b 86 00 10 00 00");
        assertThat(bytes(a -> a.cmp(mem(EDI, 20), EBP))).isEqualTo("39 6f 14");
        assertThat(bytes(a -> a.test(EDX, EDX))).isEqualTo("85 d2");
    }

    @Test
    void ioAndHalt() {
        assertThat(bytes(a -> a.outEax(0xE0))).isEqualTo("e7 e0");                    // E7 ib
        assertThat(bytes(X86Asm::hlt)).isEqualTo("f4");
    }

    @Test
    void jumpsAreRel32FromTheNextInstruction() {
        assertThat(bytes(a -> {
            Label self = a.newLabel("self");
            a.label(self).jmp(self);
        })).isEqualTo("e9 fb ff ff ff");                                              // -5
        assertThat(bytes(a -> {
            Label ahead = a.newLabel("ahead");
            a.je(ahead).jne(ahead).ja(ahead).jbe(ahead).hlt().label(ahead);
        })).isEqualTo("0f 84 13 00 00 00 0f 85 0d 00 00 00 0f 87 07 00 00 00 0f 86 01 00 00 00 f4");
    }

    @Test
    void badOperandsAreRefused() {
        X86Asm a = new X86Asm();
        assertThatThrownBy(() -> mem(ESP, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sib");
        assertThatThrownBy(() -> a.outEax(0x100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.shl(EAX, 32)).isInstanceOf(IllegalArgumentException.class);
        Label never = a.newLabel("never");
        a.jmp(never);
        assertThatThrownBy(a::assemble).isInstanceOf(IllegalStateException.class)
                .hasMessage("label never is never bound");
    }
}
