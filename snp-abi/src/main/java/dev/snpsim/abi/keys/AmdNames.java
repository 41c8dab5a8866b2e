package dev.snpsim.abi.keys;

import dev.snpsim.abi.Product;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Names, serial numbers and validity of AMD's certificates, copied from the real ARK, ASK
 * and ASVK of each product (facts, not code): the distinguished name is
 * {@code OU=Engineering, C=US, L=Santa Clara, ST=CA, O=Advanced Micro Devices, CN=...}
 * with C a PrintableString and the rest UTF8String; roots live 25 years, VCEKs 7.
 */
final class AmdNames {
    static final int ROOT_VALIDITY_YEARS = 25;
    static final int LEAF_VALIDITY_YEARS = 7;
    /** notBefore of every simulated VCEK and VLEK certificate (real ones vary per issue). */
    static final Instant LEAF_NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");

    private AmdNames() {
    }

    static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.OU, "Engineering")
                .addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.L, "Santa Clara")
                .addRDN(BCStyle.ST, "CA")
                .addRDN(BCStyle.O, "Advanced Micro Devices")
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    static X500Name ark(Product p) {
        return name("ARK-" + p.displayName());
    }

    static X500Name ask(Product p) {
        return name("SEV-" + p.displayName());
    }

    static X500Name asvk(Product p) {
        return name("SEV-VLEK-" + p.displayName());
    }

    static X500Name vcek() {
        return name("SEV-VCEK");
    }

    static X500Name vlek() {
        return name("SEV-VLEK");
    }

    static BigInteger arkSerial(Product p) {
        return BigInteger.valueOf((long) generation(p) << 16);
    }

    /** Real ASK serials: Milan 0x10001, Genoa 0x20002, Turin 0x30001. */
    static BigInteger askSerial(Product p) {
        return BigInteger.valueOf(((long) generation(p) << 16) | (p == Product.GENOA ? 2 : 1));
    }

    static BigInteger asvkSerial(Product p) {
        return BigInteger.valueOf(((long) generation(p) << 16) | 0x101);
    }

    static Instant arkNotBefore(Product p) {
        return Instant.parse(switch (p) {
            case MILAN -> "2020-10-22T17:23:05Z";
            case GENOA -> "2022-01-26T15:34:37Z";
            case TURIN -> "2023-05-15T20:03:12Z";
        });
    }

    static Instant askNotBefore(Product p) {
        return Instant.parse(switch (p) {
            case MILAN -> "2020-10-22T18:24:20Z";
            case GENOA -> "2022-10-31T13:33:48Z";
            case TURIN -> "2023-05-15T20:25:21Z";
        });
    }

    static Instant asvkNotBefore(Product p) {
        return Instant.parse(switch (p) {
            case MILAN -> "2022-11-16T22:45:24Z";
            case GENOA -> "2022-11-18T20:48:34Z";
            case TURIN -> "2023-05-15T21:09:41Z";
        });
    }

    static Instant plusYears(Instant t, int years) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC).plusYears(years).toInstant();
    }

    static String vcekCrl(Product p) {
        return "https://kdsintf.amd.com/vcek/v1/" + p.displayName() + "/crl";
    }

    static String vlekCrl(Product p) {
        return "https://kdsintf.amd.com/vlek/v1/" + p.displayName() + "/crl";
    }

    private static int generation(Product p) {
        return p.ordinal() + 1;
    }
}
