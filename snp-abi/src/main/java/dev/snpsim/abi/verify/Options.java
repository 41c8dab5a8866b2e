package dev.snpsim.abi.verify;

import dev.snpsim.abi.Product;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a {@link ReportVerifier} judges.
 *
 * @param product          the expected product; empty: take it from the certificates (and
 *                         check it against the report's CPUID fields where present)
 * @param checkValidityAt  check every certificate's validity at this instant; empty (the
 *                         default): do not reject expired certificates, as real ones expire
 * @param requireHwIdMatch compare the VCEK's hwID with CHIP_ID (default true; a masked,
 *                         all-zero CHIP_ID is always accepted)
 * @param trustedArks      ARKs a certificate table's own ARK may be taken as trust anchor from
 */
public record Options(Optional<Product> product, Optional<Instant> checkValidityAt, boolean requireHwIdMatch,
                      List<X509Certificate> trustedArks) {
    public Options {
        trustedArks = List.copyOf(trustedArks);
    }

    public static Options defaults() {
        return new Options(Optional.empty(), Optional.empty(), true, List.of());
    }

    public Options withProduct(Product p) {
        return new Options(Optional.of(p), checkValidityAt, requireHwIdMatch, trustedArks);
    }

    public Options withValidityAt(Instant at) {
        return new Options(product, Optional.of(at), requireHwIdMatch, trustedArks);
    }

    public Options withHwIdMatch(boolean require) {
        return new Options(product, checkValidityAt, require, trustedArks);
    }

    public Options withTrustedArks(List<X509Certificate> arks) {
        return new Options(product, checkValidityAt, requireHwIdMatch, arks);
    }
}
