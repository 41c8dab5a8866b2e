package dev.snpsim.host.nativekvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks the whole guest program with a disassembler the project did not write: GNU
 * objdump must decode the bytes into exactly the instructions the assembler says it emitted.
 */
class GuestProgramDisassemblyTest {
    private static final Pattern INSN = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f ]+?)\\s*(?:\\t(.*))?$");

    @Test
    void objdumpDecodesTheProgramAsAssembled(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/objdump")),
                "/usr/bin/objdump (GNU binutils) is not installed: nothing independent to cross-check with");
        GuestProgram program = GuestProgram.assemble(new GuestProgramConfig(300, 1, 16));
        Path bin = dir.resolve("guest.bin");
        Files.write(bin, program.code());

        List<String[]> decoded = objdump(bin);
        List<X86Asm.Line> lines = program.lines();
        Map<String, Integer> labels = program.labels();

        assertThat(lines).hasSizeGreaterThan(50);
        assertThat(decoded).hasSameSizeAs(lines);
        for (int i = 0; i < lines.size(); i++) {
            X86Asm.Line line = lines.get(i);
            String[] d = decoded.get(i);
            assertThat(Integer.parseInt(d[0], 16)).as("offset of %s", line.text()).isEqualTo(line.offset());
            assertThat(Integer.parseInt(d[1])).as("length of %s", line.text()).isEqualTo(line.length());
            assertThat(normalize(d[2])).as("at 0x%x", line.offset()).isEqualTo(expected(line.text(), labels));
        }
    }

    /** Our text with label names replaced by the absolute targets objdump prints. */
    private static String expected(String text, Map<String, Integer> labels) {
        String[] parts = text.split(" ", 2);
        if (parts[0].startsWith("j") && labels.containsKey(parts[1])) {
            return parts[0] + " 0x" + Integer.toHexString(labels.get(parts[1]));
        }
        return text;
    }

    private static String normalize(String objdumpText) {
        return objdumpText.trim().replaceAll("\\s+", " ").replace("+0x0]", "]");
    }

    /** {offset hex, length, text} per instruction, continuation byte lines folded in. */
    private static List<String[]> objdump(Path bin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/objdump", "-D", "-b", "binary", "-m", "i386", "-M", "intel",
                bin.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String[]> result = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = INSN.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int n = m.group(2).trim().split(" ").length;
            if (m.group(3) == null) {
                String[] last = result.get(result.size() - 1);
                last[1] = Integer.toString(Integer.parseInt(last[1]) + n);
            } else {
                result.add(new String[] {m.group(1), Integer.toString(n), m.group(3)});
            }
        }
        return result;
    }
}
