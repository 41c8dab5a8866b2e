package dev.snpsim.abi.launch;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The running launch digest (SNP ABI spec, SNP_LAUNCH_UPDATE): it starts as 48 zero bytes
 * and each page folds in as {@code LD = SHA-384(PAGE_INFO(LD, CONTENTS, type, gpa))}. The
 * final value is the report's MEASUREMENT. Not thread-safe; one per launch.
 */
public final class LaunchDigest {
    /** Page size. */
    public static final int PAGE_SIZE = 4096;
    /** The GPA the VMSA page is measured at (RMP's all-ones GPA, page-aligned, bits above 51 clear). */
    public static final long VMSA_GPA = 0xFFFF_FFFF_F000L;
    private static final int SIZE = PageInfo.HASH_SIZE;

    private byte[] ld;

    /** Starts at 48 zero bytes. */
    public LaunchDigest() {
        this(new byte[SIZE]);
    }

    /** Starts at {@code seed} (48 bytes). */
    public LaunchDigest(byte[] seed) {
        if (seed == null || seed.length != SIZE) {
            throw AbiException.of("launch digest seed is %s bytes (expected: 48)",
                    seed == null ? "missing" : String.valueOf(seed.length));
        }
        this.ld = seed.clone();
    }

    /**
     * Folds in one page. For NORMAL and VMSA {@code page4k} is the 4096-byte page and
     * CONTENTS its SHA-384; for the other types CONTENTS is zero and {@code page4k} is
     * ignored (it may be null). The GPA must be page-aligned.
     */
    public LaunchDigest update(PageType type, long gpa, byte[] page4k) {
        byte[] contents;
        if (type.hashesContents()) {
            if (page4k == null || page4k.length != PAGE_SIZE) {
                throw AbiException.of("%s page is %s bytes (expected: 4096)", type.name().toLowerCase(java.util.Locale.ROOT),
                        page4k == null ? "missing" : String.valueOf(page4k.length));
            }
            contents = sha384(page4k);
        } else {
            contents = new byte[SIZE];
        }
        return updateContents(type, gpa, contents);
    }

    /** Folds in a PAGE_INFO with the given 48-byte CONTENTS (no VMPL permissions, not IMI). */
    public LaunchDigest updateContents(PageType type, long gpa, byte[] contents) {
        if ((gpa & (PAGE_SIZE - 1)) != 0) {
            throw AbiException.of("gpa 0x%x is not page-aligned", gpa);
        }
        PageInfo info = new PageInfo(ld, contents, type, false, 0, 0, 0, gpa);
        ld = sha384(info.encode());
        return this;
    }

    /** Folds in {@code data} as NORMAL pages from {@code gpa}; the last page is padded with zeros. */
    public LaunchDigest updateNormalPages(long gpa, byte[] data) {
        for (int off = 0; off < data.length; off += PAGE_SIZE) {
            byte[] page = Arrays.copyOfRange(data, off, off + PAGE_SIZE); // pads past the end with zeros
            update(PageType.NORMAL, gpa + off, page);
        }
        return this;
    }

    /** Folds in the VMSA page at {@link #VMSA_GPA}. */
    public LaunchDigest updateVmsa(byte[] vmsaPage) {
        return update(PageType.VMSA, VMSA_GPA, vmsaPage);
    }

    /** The digest so far (48 bytes, a copy). */
    public byte[] digest() {
        return ld.clone();
    }

    @Override
    public String toString() {
        return "LaunchDigest[" + Hex.of(ld) + "]";
    }

    static byte[] sha384(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-384").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-384 is missing from the JDK", e);
        }
    }
}
