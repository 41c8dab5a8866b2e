package dev.snpsim.abi.keys;

import dev.snpsim.abi.report.TcbVersion;
import java.security.interfaces.ECPrivateKey;

/**
 * What firmware recovers from a VLEK hashstick: the provider, the TCB the key is bound to
 * and the P-384 private key.
 */
public record VlekUnwrapped(int version, TcbVersion tcb, String cspId, ECPrivateKey privateKey) {
}
