package dev.snpsim.abi.report;

import dev.snpsim.abi.AbiException;

/** SIGNING_KEY, bits 4:2 of the report's signer info: which key signed the report. */
public enum SigningKey {
    /** Versioned chip endorsement key, derived by firmware from the chip secret and TCB. */
    VCEK(0),
    /** Versioned loaded endorsement key, provisioned by AMD per cloud provider. */
    VLEK(1),
    /** The report is not signed. */
    NONE(7);

    private final int code;

    SigningKey(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The key for a 3-bit SIGNING_KEY value; 2..6 are reserved and rejected. */
    public static SigningKey of(int code) {
        for (SigningKey k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw AbiException.of("signing_key is %d (expected: 0 vcek, 1 vlek or 7 none; 2..6 are reserved)", code);
    }
}
