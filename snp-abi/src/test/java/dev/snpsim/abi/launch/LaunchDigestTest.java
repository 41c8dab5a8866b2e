package dev.snpsim.abi.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.LeBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LaunchDigestTest {

    /** The same launch as {@link #PYTHON}, in Java. */
    static byte[] javaLaunch() {
        byte[] data = new byte[5000]; // two NORMAL pages, the second padded with zeros
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        byte[] vmsa = new byte[4096];
        vmsa[0] = 0x42;
        return new LaunchDigest()
                .updateNormalPages(0x80_0000L, data)
                .update(PageType.ZERO, 0x80_2000L, null)
                .update(PageType.UNMEASURED, 0x80_3000L, null)
                .update(PageType.SECRETS, 0x80_4000L, null)
                .update(PageType.CPUID, 0x80_5000L, null)
                .updateVmsa(vmsa)
                .digest();
    }

    /**
     * A second implementation, written against the spec's PAGE_INFO table in Python with
     * hashlib (not generated from the Java code): prints the final digest in hex.
     */
    static final String PYTHON = String.join("\n",
            "import hashlib, struct",
            "ld = bytes(48)",
            "def fold(ptype, gpa, contents):",
            "    global ld",
            "    info = ld + contents + struct.pack('<HBBBBBBQ', 0x70, ptype, 0, 0, 0, 0, 0, gpa)",
            "    assert len(info) == 0x70",
            "    ld = hashlib.sha384(info).digest()",
            "data = bytes(((i * 7 + 3) & 0xff) for i in range(5000)) + bytes(8192 - 5000)",
            "for off in range(0, 8192, 4096):",
            "    fold(1, 0x800000 + off, hashlib.sha384(data[off:off + 4096]).digest())",
            "for ptype, gpa in ((3, 0x802000), (4, 0x803000), (5, 0x804000), (6, 0x805000)):",
            "    fold(ptype, gpa, bytes(48))",
            "vmsa = b'\\x42' + bytes(4095)",
            "fold(2, 0xFFFFFFFFF000, hashlib.sha384(vmsa).digest())",
            "print(ld.hex())",
            "");

    @Test
    void matchesAnIndependentPythonImplementation() throws Exception {
        String python = runPython(PYTHON);
        assertThat(Hex.of(javaLaunch())).isEqualTo(python);
    }

    @Test
    void startsAtZeroAndChangesWithEveryInput() {
        assertThat(new LaunchDigest().digest()).hasSize(48).containsOnly(0);
        byte[] a = new LaunchDigest().update(PageType.ZERO, 0, null).digest();
        byte[] b = new LaunchDigest().update(PageType.ZERO, 0x1000, null).digest(); // other GPA
        byte[] c = new LaunchDigest().update(PageType.SECRETS, 0, null).digest();   // other type
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
        assertThat(b).isNotEqualTo(c);
        // order matters: it is a chain
        byte[] ab = new LaunchDigest().update(PageType.ZERO, 0, null).update(PageType.CPUID, 0x1000, null).digest();
        byte[] ba = new LaunchDigest().update(PageType.CPUID, 0x1000, null).update(PageType.ZERO, 0, null).digest();
        assertThat(ab).isNotEqualTo(ba);
    }

    @Test
    void pageInfoLayoutAndRoundTrip() {
        byte[] cur = new byte[48];
        cur[0] = 1;
        byte[] contents = new byte[48];
        contents[47] = 2;
        PageInfo p = new PageInfo(cur, contents, PageType.VMSA, true, 3, 4, 5, LaunchDigest.VMSA_GPA);
        byte[] b = p.encode();
        assertThat(b).hasSize(0x70);
        assertThat(b[0x00]).isEqualTo((byte) 1);
        assertThat(b[0x5f]).isEqualTo((byte) 2);
        assertThat(LeBytes.u16(b, 0x60)).isEqualTo(0x70);
        assertThat(b[0x62]).isEqualTo((byte) 2);
        assertThat(b[0x63]).isEqualTo((byte) 1);
        assertThat(b[0x64]).isEqualTo((byte) 3);
        assertThat(b[0x66]).isEqualTo((byte) 5);
        assertThat(LeBytes.u64(b, 0x68)).isEqualTo(0xFFFFFFFFF000L);
        assertThat(PageInfo.decode(b)).isEqualTo(p);
    }

    @Test
    void pageInfoRejectsMalformedBytes() {
        byte[] ok = new PageInfo(new byte[48], new byte[48], PageType.NORMAL, false, 0, 0, 0, 0).encode();
        byte[] len = ok.clone();
        len[0x60] = 0x60;
        assertThatThrownBy(() -> PageInfo.decode(len)).hasMessageContaining("length at 0x60 is 0x60");
        byte[] type = ok.clone();
        type[0x62] = 7;
        assertThatThrownBy(() -> PageInfo.decode(type)).hasMessageContaining("page_type 7");
        byte[] imi = ok.clone();
        imi[0x63] = 2;
        assertThatThrownBy(() -> PageInfo.decode(imi)).hasMessageContaining("imi_page at 0x63 is 0x2");
        byte[] res = ok.clone();
        res[0x67] = 1;
        assertThatThrownBy(() -> PageInfo.decode(res)).hasMessageContaining("mbz range [0x67:0x68]");
    }

    @Test
    void rejectsUnalignedGpaAndShortPages() {
        assertThatThrownBy(() -> new LaunchDigest().update(PageType.ZERO, 0x1001, null))
                .isInstanceOf(AbiException.class).hasMessage("gpa 0x1001 is not page-aligned");
        assertThatThrownBy(() -> new LaunchDigest().update(PageType.NORMAL, 0, new byte[100]))
                .hasMessage("normal page is 100 bytes (expected: 4096)");
    }

    private static String runPython(String script) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is not installed; the cross-check needs it (" + e.getMessage() + ")");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python3 output: %s", out).isZero();
        return out;
    }
}
