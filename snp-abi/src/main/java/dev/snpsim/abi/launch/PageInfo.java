package dev.snpsim.abi.launch;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.Hex;
import dev.snpsim.abi.LeBytes;
import java.util.Arrays;

/**
 * PAGE_INFO (SNP ABI spec, Table "PAGE_INFO Structure"), 0x70 bytes, hashed into the
 * launch digest for every page added at launch:
 *
 * <pre>
 *   0x00 DIGEST_CUR[48]   the launch digest so far
 *   0x30 CONTENTS[48]     SHA-384 of the page, or zero (see {@link PageType})
 *   0x60 LENGTH u16       0x70
 *   0x62 PAGE_TYPE u8
 *   0x63 IMI_PAGE u8      bit 0
 *   0x64 VMPL3_PERMS u8, 0x65 VMPL2_PERMS u8, 0x66 VMPL1_PERMS u8, 0x67 reserved
 *   0x68 GPA u64
 * </pre>
 */
public record PageInfo(byte[] digestCur, byte[] contents, PageType pageType, boolean imiPage,
        int vmpl3Perms, int vmpl2Perms, int vmpl1Perms, long gpa) {
    public static final int SIZE = 0x70;
    static final int DIGEST_CUR = 0x00;
    static final int CONTENTS = 0x30;
    static final int HASH_SIZE = 48;
    static final int LENGTH = 0x60;
    static final int PAGE_TYPE = 0x62;
    static final int IMI_PAGE = 0x63;
    static final int VMPL3_PERMS = 0x64;
    static final int VMPL2_PERMS = 0x65;
    static final int VMPL1_PERMS = 0x66;
    static final int RESERVED_67 = 0x67;
    static final int GPA = 0x68;

    public PageInfo {
        digestCur = LeBytes.copyOf(digestCur, HASH_SIZE, "page_info digest_cur");
        contents = LeBytes.copyOf(contents, HASH_SIZE, "page_info contents");
        if (pageType == null) {
            throw new AbiException("page_info page_type is missing");
        }
        for (int p : new int[] {vmpl3Perms, vmpl2Perms, vmpl1Perms}) {
            if (p < 0 || p > 0xff) {
                throw AbiException.of("page_info vmpl permissions %d out of range (expected: 0..255)", p);
            }
        }
    }

    @Override
    public byte[] digestCur() {
        return digestCur.clone();
    }

    @Override
    public byte[] contents() {
        return contents.clone();
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        LeBytes.put(b, DIGEST_CUR, digestCur, HASH_SIZE);
        LeBytes.put(b, CONTENTS, contents, HASH_SIZE);
        LeBytes.putU16(b, LENGTH, SIZE);
        LeBytes.putU8(b, PAGE_TYPE, pageType.code());
        LeBytes.putU8(b, IMI_PAGE, imiPage ? 1 : 0);
        LeBytes.putU8(b, VMPL3_PERMS, vmpl3Perms);
        LeBytes.putU8(b, VMPL2_PERMS, vmpl2Perms);
        LeBytes.putU8(b, VMPL1_PERMS, vmpl1Perms);
        LeBytes.putU64(b, GPA, gpa);
        return b;
    }

    public static PageInfo decode(byte[] b) {
        LeBytes.requireLength(b, SIZE, "page_info");
        int length = LeBytes.u16(b, LENGTH);
        if (length != SIZE) {
            throw AbiException.of("page_info length at 0x60 is 0x%x (expected: 0x70)", length);
        }
        int imi = LeBytes.u8(b, IMI_PAGE);
        if ((imi & ~1) != 0) {
            throw AbiException.of("page_info imi_page at 0x63 is 0x%x (expected: 0 or 1)", imi);
        }
        LeBytes.requireZero(b, RESERVED_67, GPA, "page_info reserved");
        PageType type;
        try {
            type = PageType.of(LeBytes.u8(b, PAGE_TYPE));
        } catch (AbiException e) {
            throw new AbiException("page_info at 0x62: " + e.getMessage(), e);
        }
        return new PageInfo(LeBytes.slice(b, DIGEST_CUR, HASH_SIZE), LeBytes.slice(b, CONTENTS, HASH_SIZE), type,
                imi == 1, LeBytes.u8(b, VMPL3_PERMS), LeBytes.u8(b, VMPL2_PERMS), LeBytes.u8(b, VMPL1_PERMS),
                LeBytes.u64(b, GPA));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PageInfo p && Arrays.equals(encode(), p.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "PageInfo[" + pageType + " gpa=0x" + Long.toHexString(gpa) + " contents=" + Hex.of(contents) + "]";
    }
}
