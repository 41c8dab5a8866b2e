package dev.snpsim.abi.keys;

import dev.snpsim.abi.Product;
import java.security.cert.X509Certificate;

/**
 * One product's AMD root certificates: the ARK (self-signed), the ASK that signs VCEKs
 * and the ASVK that signs VLEKs, both signed by the ARK. All RSA-4096, RSASSA-PSS SHA-384.
 */
public record ProductRoots(Product product, X509Certificate ark, X509Certificate ask, X509Certificate asvk) {
}
