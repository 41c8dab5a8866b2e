package dev.snpsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasureCommandTest {
    @TempDir
    Path tmp;

    /** One page, folded by hand from SPEC.md section 10, must match what the CLI prints. */
    @Test
    void onePageDigestMatchesAHandFoldedPageInfo() throws IOException, NoSuchAlgorithmException {
        byte[] page = new byte[4096];
        for (int i = 0; i < page.length; i++) {
            page[i] = (byte) (i * 7);
        }
        Path f = tmp.resolve("page.bin");
        Files.write(f, page);
        long gpa = 0xFFC0_0000L;

        MessageDigest sha = MessageDigest.getInstance("SHA-384");
        ByteBuffer info = ByteBuffer.allocate(0x70).order(ByteOrder.LITTLE_ENDIAN);
        info.put(new byte[48]);                  // previous digest: 48 zero bytes
        info.put(sha.digest(page));              // CONTENTS: SHA-384 of the page
        info.putShort((short) 0x70);             // LENGTH
        info.put((byte) 1);                      // PAGE_TYPE: NORMAL
        info.put((byte) 0);                      // IMI_PAGE
        info.put((byte) 0).put((byte) 0).put((byte) 0); // VMPL3/2/1 permissions
        info.put((byte) 0);                      // reserved
        info.putLong(gpa);                       // GPA
        String expected = HexFormat.of().formatHex(sha.digest(info.array()));

        CliRun run = CliRun.of("measure", "--pages", f.toString(), "--gpa", "0xffc00000");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().trim()).isEqualTo(expected);
    }

    @Test
    void unalignedGpaAndMissingFileAreErrors() {
        CliRun unaligned = CliRun.of("measure", "--pages", "x", "--gpa", "0x1001");
        assertThat(unaligned.exitCode()).isEqualTo(2);
        assertThat(unaligned.err()).contains("not 4 KiB aligned");
        CliRun missing = CliRun.of("measure", "--pages", tmp.resolve("none").toString(), "--gpa", "0");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
    }
}
