package dev.snpsim.psp;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.report.TcbVersion;

/**
 * The platform as SNP_PLATFORM_STATUS reports it (a snapshot; the firmware keeps
 * REPORTED &lt;= COMMITTED &lt;= CURRENT component-wise at all times).
 */
public record PlatformState(Product product, byte[] chipId, int build, int minor, int major,
                            TcbVersion currentTcb, TcbVersion committedTcb, TcbVersion reportedTcb,
                            boolean maskChipId, boolean maskChipKey, boolean vlekLoaded, int guestCount) {
    public PlatformState {
        chipId = chipId.clone();
    }

    @Override
    public byte[] chipId() {
        return chipId.clone();
    }
}
