package dev.snpsim.host.mgmt;

import dev.snpsim.abi.Product;

/**
 * How the management tool runs.
 *
 * @param product the platform's processor generation (names the certificates to fetch)
 * @param chipId  the platform's 64-byte chip id (for VCEK downloads)
 * @param locking take the exclusive blob lock for each operation; false reproduces the race
 * @param crash   test hook making the tool crash between steps
 */
public record MgmtConfig(Product product, byte[] chipId, boolean locking, CrashHook crash) {
    public MgmtConfig {
        if (product == null || chipId == null) {
            throw new IllegalArgumentException("mgmt config needs the product and the chip id");
        }
        chipId = chipId.clone();
        crash = crash == null ? CrashHook.none() : crash;
    }

    @Override
    public byte[] chipId() {
        return chipId.clone();
    }

    public MgmtConfig withLocking(boolean on) {
        return new MgmtConfig(product, chipId, on, crash);
    }

    public MgmtConfig withCrash(CrashHook hook) {
        return new MgmtConfig(product, chipId, locking, hook);
    }
}
