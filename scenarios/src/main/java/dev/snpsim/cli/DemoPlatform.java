package dev.snpsim.cli;

import dev.snpsim.abi.Product;
import dev.snpsim.abi.launch.LaunchDigest;
import dev.snpsim.abi.report.AttestationReport;
import dev.snpsim.abi.report.GuestPolicy;
import dev.snpsim.abi.report.PlatformInfo;
import dev.snpsim.abi.report.SignerInfo;
import dev.snpsim.abi.report.TcbVersion;
import dev.snpsim.scenario.HostDefaults;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The platform behind {@code snpsim attest}: a chip id, firmware version and TCB derived
 * from the seed, and a guest whose measurement is the launch digest of a small image.
 */
record DemoPlatform(Product product, byte[] chipId, TcbVersion reportedTcb, byte[] measurement, byte[] reportId) {
    static DemoPlatform create(Product p, long seed) {
        byte[] chip = sha512("snpsim chip", seed);
        if (p == Product.TURIN) {
            Arrays.fill(chip, 8, 64, (byte) 0); // Turin's CHIP_ID is 8 bytes followed by zeros
        }
        TcbVersion tcb = HostDefaults.shippingTcb(p);
        LaunchDigest ld = new LaunchDigest();
        ld.updateNormalPages(0xFFFC_0000L, Arrays.copyOf(sha512("snpsim image", seed), 4096 * 4));
        byte[] reportId = Arrays.copyOf(sha512("snpsim report id", seed), 32);
        return new DemoPlatform(p, chip, tcb, ld.digest(), reportId);
    }

    AttestationReport report(int version, byte[] reportData, SignerInfo signer) {
        var b = AttestationReport.builder()
                .version(version)
                .policy(GuestPolicy.DEFAULT.withAbi(1, 55))
                .vmpl(0)
                .signatureAlgo(1)
                .currentTcb(reportedTcb)
                .committedTcb(reportedTcb)
                .reportedTcb(reportedTcb)
                .launchTcb(reportedTcb)
                .platformInfo(PlatformInfo.of(true, true, false, false))
                .signerInfo(signer)
                .reportData(reportData)
                .measurement(measurement)
                .reportId(reportId)
                .chipId(chipId)
                .currentMajor(1).currentMinor(55).currentBuild(21)
                .committedMajor(1).committedMinor(55).committedBuild(21);
        if (version >= 3) {
            b.cpuidOf(product); // CPUID fields exist since report version 3
        }
        return b.build();
    }

    private static byte[] sha512(String label, long seed) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(label.getBytes(StandardCharsets.UTF_8));
            md.update(ByteBuffer.allocate(8).putLong(seed).array());
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
