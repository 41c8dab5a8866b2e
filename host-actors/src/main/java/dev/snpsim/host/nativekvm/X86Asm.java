package dev.snpsim.host.nativekvm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny x86 assembler for 32-bit protected mode (operand size 32, address size 32), covering
 * just the instructions the guest program uses. Encodings follow the Intel SDM volume 2
 * opcode tables; register-to-register ALU forms use the "MR" opcodes (01, 09, 29, 31, 39, 85)
 * and immediates use the sign-extended imm8 form (83 /n ib) when they fit, as GNU as does.
 * Memory operands are {@code [base + disp]} with no index: ModRM mod 00 (no displacement,
 * base not EBP), 01 (disp8) or 10 (disp32); ESP as a base (which needs a SIB byte) is refused.
 * Jumps always take the rel32 form. Every instruction is also recorded as Intel-syntax text
 * for {@link #listing()}.
 */
public final class X86Asm {
    /** The eight 32-bit general registers, in encoding order. */
    public enum Reg { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI;
        int code() {
            return ordinal();
        }

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A memory operand {@code dword [base + disp]}. */
    public record Mem(Reg base, int disp) {
        public Mem {
            if (base == Reg.ESP) {
                throw new IllegalArgumentException("esp as a base register needs a sib byte (not supported)");
            }
        }

        String text() {
            return "[" + base.text() + (disp == 0 ? "" : disp > 0 ? "+0x" + Integer.toHexString(disp)
                    : "-0x" + Integer.toHexString(-disp)) + "]";
        }
    }

    /** A jump target; bound to a position with {@link #label(Label)}. */
    public static final class Label {
        private final String name;
        private int position = -1;

        private Label(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    /** One emitted instruction: its offset, length in bytes and Intel-syntax text. */
    public record Line(int offset, int length, String text) {
    }

    private record Fixup(int at, Label target) {
    }

    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final List<Fixup> fixups = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();
    private final Map<String, Integer> labels = new LinkedHashMap<>();

    /** {@code dword [base + disp]}. */
    public static Mem mem(Reg base, int disp) {
        return new Mem(base, disp);
    }

    public Label newLabel(String name) {
        return new Label(name);
    }

    /** Binds {@code label} to the current position. */
    public X86Asm label(Label label) {
        if (label.position >= 0) {
            throw new IllegalStateException("label " + label.name + " bound twice");
        }
        if (labels.putIfAbsent(label.name, code.size()) != null) {
            throw new IllegalStateException("label name " + label.name + " used twice");
        }
        label.position = code.size();
        return this;
    }

    /** Bytes emitted so far. */
    public int position() {
        return code.size();
    }

    // ---- data movement

    /** {@code mov r32, imm32}: B8+rd id. */
    public X86Asm mov(Reg dst, int imm) {
        int start = begin();
        code.write(0xB8 + dst.code());
        imm32(imm);
        return end(start, "mov " + dst.text() + "," + hex(imm));
    }

    /** {@code mov r/m32, r32}: 89 /r (register form). */
    public X86Asm mov(Reg dst, Reg src) {
        return rr(0x89, dst, src, "mov");
    }

    /** {@code mov r32, r/m32}: 8B /r. */
    public X86Asm mov(Reg dst, Mem src) {
        return rm(0x8B, dst, src, "mov " + dst.text() + ",DWORD PTR " + src.text());
    }

    /** {@code mov r/m32, r32}: 89 /r. */
    public X86Asm mov(Mem dst, Reg src) {
        return rm(0x89, src, dst, "mov DWORD PTR " + dst.text() + "," + src.text());
    }

    /** {@code mov r/m32, imm32}: C7 /0 id. */
    public X86Asm mov(Mem dst, int imm) {
        int start = begin();
        code.write(0xC7);
        modRm(0, dst);
        imm32(imm);
        return end(start, "mov DWORD PTR " + dst.text() + "," + hex(imm));
    }

    /** {@code lea r32, m}: 8D /r. */
    public X86Asm lea(Reg dst, Mem src) {
        return rm(0x8D, dst, src, "lea " + dst.text() + "," + src.text());
    }

    // ---- arithmetic and logic

    public X86Asm add(Reg dst, int imm) {
        return aluImm(0, dst, imm, "add");
    }

    /** {@code add r/m32, r32}: 01 /r. */
    public X86Asm add(Reg dst, Reg src) {
        return rr(0x01, dst, src, "add");
    }

    /** {@code sub r/m32, r32}: 29 /r. */
    public X86Asm sub(Reg dst, Reg src) {
        return rr(0x29, dst, src, "sub");
    }

    /** {@code or r32, r/m32}: 0B /r. */
    public X86Asm or(Reg dst, Mem src) {
        return rm(0x0B, dst, src, "or " + dst.text() + ",DWORD PTR " + src.text());
    }

    /** {@code xor r/m32, r32}: 31 /r. */
    public X86Asm xor(Reg dst, Reg src) {
        return rr(0x31, dst, src, "xor");
    }

    public X86Asm cmp(Reg a, int imm) {
        return aluImm(7, a, imm, "cmp");
    }

    /** {@code cmp r/m32, imm}: 83 /7 ib or 81 /7 id. */
    public X86Asm cmp(Mem a, int imm) {
        int start = begin();
        boolean small = imm == (byte) imm;
        code.write(small ? 0x83 : 0x81);
        modRm(7, a);
        if (small) {
            code.write(imm);
        } else {
            imm32(imm);
        }
        return end(start, "cmp DWORD PTR " + a.text() + "," + hex(imm));
    }

    /** {@code cmp r/m32, r32}: 39 /r. */
    public X86Asm cmp(Reg a, Reg b) {
        return rr(0x39, a, b, "cmp");
    }

    /** {@code cmp r32, r/m32}: 3B /r. */
    public X86Asm cmp(Reg a, Mem b) {
        return rm(0x3B, a, b, "cmp " + a.text() + ",DWORD PTR " + b.text());
    }

    /** {@code cmp r/m32, r32}: 39 /r. */
    public X86Asm cmp(Mem a, Reg b) {
        return rm(0x39, b, a, "cmp DWORD PTR " + a.text() + "," + b.text());
    }

    /** {@code test r/m32, r32}: 85 /r. */
    public X86Asm test(Reg a, Reg b) {
        return rr(0x85, a, b, "test");
    }

    /** {@code inc r32}: 40+rd (32-bit mode only; REX in 64-bit mode). */
    public X86Asm inc(Reg r) {
        int start = begin();
        code.write(0x40 + r.code());
        return end(start, "inc " + r.text());
    }

    /** {@code inc r/m32}: FF /0. */
    public X86Asm inc(Mem m) {
        int start = begin();
        code.write(0xFF);
        modRm(0, m);
        return end(start, "inc DWORD PTR " + m.text());
    }

    /** {@code dec r/m32}: FF /1. */
    public X86Asm dec(Mem m) {
        int start = begin();
        code.write(0xFF);
        modRm(1, m);
        return end(start, "dec DWORD PTR " + m.text());
    }

    /** {@code shl r/m32, imm8}: C1 /4 ib. */
    public X86Asm shl(Reg r, int count) {
        if (count < 0 || count > 31) {
            throw new IllegalArgumentException("shift count " + count + " (expected: 0..31)");
        }
        int start = begin();
        code.write(0xC1);
        code.write(0xC0 | 4 << 3 | r.code());
        code.write(count);
        return end(start, "shl " + r.text() + "," + hex(count));
    }

    // ---- control flow and I/O

    /** {@code jmp rel32}: E9 cd. */
    public X86Asm jmp(Label target) {
        return jump(new int[] {0xE9}, target, "jmp");
    }

    /** {@code je rel32}: 0F 84 cd (ZF = 1). */
    public X86Asm je(Label target) {
        return jump(new int[] {0x0F, 0x84}, target, "je");
    }

    /** {@code jne rel32}: 0F 85 cd (ZF = 0). */
    public X86Asm jne(Label target) {
        return jump(new int[] {0x0F, 0x85}, target, "jne");
    }

    /** {@code jbe rel32}: 0F 86 cd (unsigned below or equal). */
    public X86Asm jbe(Label target) {
        return jump(new int[] {0x0F, 0x86}, target, "jbe");
    }

    /** {@code ja rel32}: 0F 87 cd (unsigned above). */
    public X86Asm ja(Label target) {
        return jump(new int[] {0x0F, 0x87}, target, "ja");
    }

    /** {@code out imm8, eax}: E7 ib. */
    public X86Asm outEax(int port) {
        if (port < 0 || port > 0xFF) {
            throw new IllegalArgumentException("port 0x" + Integer.toHexString(port) + " does not fit imm8");
        }
        int start = begin();
        code.write(0xE7);
        code.write(port);
        return end(start, "out " + hex(port) + ",eax");
    }

    /** {@code hlt}: F4. */
    public X86Asm hlt() {
        int start = begin();
        code.write(0xF4);
        return end(start, "hlt");
    }

    /** The machine code, with every jump resolved; fails on an unbound label or overlong jump. */
    public byte[] assemble() {
        byte[] out = code.toByteArray();
        for (Fixup f : fixups) {
            if (f.target.position < 0) {
                throw new IllegalStateException("label " + f.target.name + " is never bound");
            }
            int rel = f.target.position - (f.at + 4);
            for (int i = 0; i < 4; i++) {
                out[f.at + i] = (byte) (rel >>> (8 * i));
            }
        }
        return out;
    }

    /** The instructions emitted so far, in order (jumps name their label). */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Label name to bound position, in binding order. */
    public Map<String, Integer> labels() {
        return Map.copyOf(labels);
    }

    /** One line per instruction: offset, final bytes, Intel-syntax text; labels on their own line. */
    public String listing() {
        byte[] bytes = assemble();
        Map<Integer, List<String>> labelsAt = new TreeMap<>();
        labels.forEach((name, pos) -> labelsAt.computeIfAbsent(pos, k -> new ArrayList<>()).add(name));
        StringBuilder out = new StringBuilder();
        for (Line line : lines) {
            for (String name : labelsAt.getOrDefault(line.offset(), List.of())) {
                out.append(name).append(":\n");
            }
            StringBuilder hex = new StringBuilder();
            for (int i = line.offset(); i < line.offset() + line.length(); i++) {
                hex.append(String.format(Locale.ROOT, "%02x ", bytes[i] & 0xFF));
            }
            out.append(String.format(Locale.ROOT, "  %04x  %-31s %s%n", line.offset(), hex, line.text()));
        }
        return out.toString();
    }

    // ---- encoding helpers

    private X86Asm aluImm(int ext, Reg r, int imm, String op) {
        int start = begin();
        if (imm == (byte) imm) {
            code.write(0x83);
            code.write(0xC0 | ext << 3 | r.code());
            code.write(imm);
        } else if (r == Reg.EAX) {
            code.write(ext << 3 | 0x05);
            imm32(imm);
        } else {
            code.write(0x81);
            code.write(0xC0 | ext << 3 | r.code());
            imm32(imm);
        }
        return end(start, op + " " + r.text() + "," + hex(imm));
    }

    private X86Asm rr(int opcode, Reg rm, Reg reg, String op) {
        int start = begin();
        code.write(opcode);
        code.write(0xC0 | reg.code() << 3 | rm.code());
        return end(start, op + " " + rm.text() + "," + reg.text());
    }

    private X86Asm rm(int opcode, Reg reg, Mem m, String text) {
        int start = begin();
        code.write(opcode);
        modRm(reg.code(), m);
        return end(start, text);
    }

    private void modRm(int reg, Mem m) {
        int base = m.base().code();
        if (m.disp() == 0 && m.base() != Reg.EBP) {
            code.write(reg << 3 | base);
        } else if (m.disp() == (byte) m.disp()) {
            code.write(0x40 | reg << 3 | base);
            code.write(m.disp());
        } else {
            code.write(0x80 | reg << 3 | base);
            imm32(m.disp());
        }
    }

    private X86Asm jump(int[] opcode, Label target, String op) {
        int start = begin();
        for (int b : opcode) {
            code.write(b);
        }
        fixups.add(new Fixup(code.size(), target));
        imm32(0);
        return end(start, op + " " + target.name);
    }

    private void imm32(int v) {
        for (int i = 0; i < 4; i++) {
            code.write(v >>> (8 * i));
        }
    }

    private int begin() {
        return code.size();
    }

    private X86Asm end(int start, String text) {
        lines.add(new Line(start, code.size() - start, text));
        return this;
    }

    private static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }
}
