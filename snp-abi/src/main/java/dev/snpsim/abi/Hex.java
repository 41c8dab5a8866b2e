package dev.snpsim.abi;

import java.util.HexFormat;

/** Lowercase hex for messages, JSON and the CLI. */
public final class Hex {
    private static final HexFormat FORMAT = HexFormat.of();

    private Hex() {
    }

    public static String of(byte[] bytes) {
        return FORMAT.formatHex(bytes);
    }

    /** Parses hex (either case, optional "0x", no separators); names the bad input on failure. */
    public static byte[] parse(String hex) {
        String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (h.length() % 2 != 0) {
            throw AbiException.of("hex string has odd length %d", h.length());
        }
        try {
            return FORMAT.parseHex(h);
        } catch (IllegalArgumentException e) {
            throw new AbiException("not a hex string: '" + (h.length() > 40 ? h.substring(0, 40) + "..." : h) + "'", e);
        }
    }
}
