package dev.snpsim.scenario;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.report.TcbVersion;

/** What a simulated host starts from unless told otherwise: used by {@code snpsim attest} and the runner alike. */
public final class HostDefaults {
    /** The cloud provider whose VLEKs a host loads. */
    public static final String CSP_ID = "snpsim-csp";

    private HostDefaults() {
    }

    /** A plausible shipping TCB of each product: the TCB a host boots with. */
    public static TcbVersion shippingTcb(Product p) {
        return switch (p) {
            case MILAN -> TcbVersion.of(p, 0, 4, 0, 22, 213);
            case GENOA -> TcbVersion.of(p, 0, 9, 0, 23, 84);
            case TURIN -> TcbVersion.of(p, 1, 1, 1, 3, 72);
        };
    }
}
