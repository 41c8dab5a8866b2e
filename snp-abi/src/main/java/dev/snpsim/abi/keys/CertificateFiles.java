package dev.snpsim.abi.keys;

import dev.snpsim.abi.AbiException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Certificates as files: AMD's service and the tools around it hand out both PEM and DER,
 * often under the other's file extension, so reading looks at the bytes, not the name.
 */
public final class CertificateFiles {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private CertificateFiles() {
    }

    /** Reads one X.509 certificate, PEM (the first block) or DER. */
    public static X509Certificate read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new AbiException("certificate file is empty");
        }
        byte[] der = isPem(bytes) ? pemToDer(bytes) : bytes;
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw AbiException.of("not an x.509 certificate (%d bytes, first byte 0x%02x): %s", bytes.length,
                    bytes[0], e.getMessage());
        }
    }

    /** PEM text of the certificate, 64 characters a line, with a trailing newline. */
    public static String toPem(X509Certificate cert) {
        try {
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(cert.getEncoded());
            return BEGIN + "\n" + b64 + "\n" + END + "\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    /** The DER bytes of the certificate. */
    public static byte[] toDer(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    private static boolean isPem(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        return bytes.length - i >= 5 && new String(bytes, i, 5, StandardCharsets.US_ASCII).equals("-----");
    }

    private static byte[] pemToDer(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int begin = text.indexOf(BEGIN);
        int end = begin < 0 ? -1 : text.indexOf(END, begin);
        if (begin < 0 || end < 0) {
            throw new AbiException("pem file has no complete 'begin certificate' block");
        }
        String body = text.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new AbiException("pem certificate body is not base64: " + e.getMessage(), e);
        }
    }
}
