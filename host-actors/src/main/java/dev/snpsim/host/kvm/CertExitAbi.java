package dev.snpsim.host.kvm;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.ghcb.Errno;
import dev.snpsim.abi.ghcb.ExitInfo2;
import dev.snpsim.abi.ghcb.KvmExitCoco;
import dev.snpsim.abi.ghcb.KvmExitSnpReqCerts;
import dev.snpsim.abi.ghcb.KvmUserVmgexit;
import dev.snpsim.abi.ghcb.VmmError;
import java.util.Locale;

/**
 * The certificate exit of each {@link HostAbiProfile} as bytes, in both directions: what KVM
 * puts in {@code kvm_run} for userspace, how userspace fills in its answer, and what KVM's
 * completion callback makes of that answer (SPEC.md section 3).
 *
 * <table>
 * <caption>userspace answer → guest (SW_EXITINFO2, RBX) or KVM_RUN</caption>
 * <tr><th>answer</th><th>COCO (2024 series)</th><th>SNP_REQ_CERTS (upstream)</th><th>V15_VMGEXIT</th></tr>
 * <tr><td>ok</td><td>ret 0: firmware request</td><td>ret 0: firmware request</td>
 *     <td>ret 0: firmware request (+ DONE exit with NOTIFY_DONE)</td></tr>
 * <tr><td>too few pages</td><td>ENOSPC: INVALID_LEN, RBX = npages</td><td>ENOSPC: INVALID_LEN, RBX = npages</td>
 *     <td>1: INVALID_LEN, RBX = data_npages</td></tr>
 * <tr><td>retry later</td><td>EAGAIN: BUSY</td><td>EAGAIN: BUSY</td><td>2: BUSY</td></tr>
 * <tr><td>error</td><td>EIO (and any other): GENERIC</td><td>EIO: GENERIC; any other: KVM_RUN fails EINVAL</td>
 *     <td>any other: GENERIC (bit 31)</td></tr>
 * </table>
 */
public final class CertExitAbi {

    /** What userspace (the VMM) decided for one certificate exit. */
    public enum Answer { OK, NO_SPACE, AGAIN, IO_ERROR }

    /** The certificate buffer a guest offered: {@code gpa} and {@code npages} as the exit carries them. */
    public record Request(long gpa, long npages) {
    }

    /** What KVM does when userspace re-enters KVM_RUN after the exit. */
    public sealed interface Completion permits IssueRequest, GuestError, RunFails {
    }

    /** Issue the firmware request; {@code notifyDone}: exit again with status DONE afterwards (v15). */
    public record IssueRequest(boolean notifyDone) implements Completion {
    }

    /** Resume the guest with this SW_EXITINFO2, and RBX set to {@code rbx} when it is not negative. */
    public record GuestError(ExitInfo2 exitInfo2, long rbx) implements Completion {
    }

    /** KVM_RUN itself fails with this errno; the guest is not resumed. */
    public record RunFails(int errno, String why) implements Completion {
    }

    private CertExitAbi() {
    }

    /** The exit KVM writes for a certificate request of {@code npages} pages at {@code gpa} (page aligned). */
    public static byte[] exitFor(HostAbiProfile profile, long gpa, long npages) {
        return switch (profile) {
            case COCO -> KvmExitCoco.reqCerts(gpa >>> 12, (int) npages).encode();
            case V15_VMGEXIT -> KvmUserVmgexit.pending(gpa, npages).encode();
            case SNP_REQ_CERTS -> new KvmExitSnpReqCerts(gpa, npages, 0).encode();
            case EMPTY_TABLE -> throw new IllegalArgumentException("profile EMPTY_TABLE has no certificate exit");
        };
    }

    /** The V15 second exit, status DONE, for the request of {@code first}. */
    public static byte[] doneExit(byte[] first) {
        KvmUserVmgexit f = KvmUserVmgexit.decode(first, 0);
        return new KvmUserVmgexit(f.type(), f.dataGpa(), f.dataNpages(), f.ret(), f.flags(),
                KvmUserVmgexit.STATUS_DONE).encode();
    }

    /** The guest buffer an exit names (userspace's view). */
    public static Request request(HostAbiProfile profile, byte[] exit) {
        return switch (profile) {
            case COCO -> {
                KvmExitCoco c = KvmExitCoco.decode(exit, 0);
                yield new Request(c.gfn() << 12, Integer.toUnsignedLong(c.npages()));
            }
            case V15_VMGEXIT -> {
                KvmUserVmgexit v = KvmUserVmgexit.decode(exit, 0);
                yield new Request(v.dataGpa(), v.dataNpages());
            }
            case SNP_REQ_CERTS -> {
                KvmExitSnpReqCerts s = KvmExitSnpReqCerts.decode(exit, 0);
                yield new Request(s.gpa(), s.npages());
            }
            case EMPTY_TABLE -> throw new IllegalArgumentException("profile EMPTY_TABLE has no certificate exit");
        };
    }

    /**
     * Userspace fills in its answer: {@code pagesNeeded} is written for {@link Answer#NO_SPACE};
     * V15 with {@link Answer#OK} and {@code notifyDone} sets the NOTIFY_DONE flag.
     */
    public static byte[] answer(HostAbiProfile profile, byte[] exit, Answer answer, long pagesNeeded,
                                boolean notifyDone) {
        return switch (profile) {
            case COCO -> {
                KvmExitCoco c = KvmExitCoco.decode(exit, 0).withRet(errnoOf(answer));
                yield (answer == Answer.NO_SPACE ? c.withNpages((int) pagesNeeded) : c).encode();
            }
            case SNP_REQ_CERTS -> {
                KvmExitSnpReqCerts s = KvmExitSnpReqCerts.decode(exit, 0).withRet(errnoOf(answer));
                yield (answer == Answer.NO_SPACE ? s.withNpages(pagesNeeded) : s).encode();
            }
            case V15_VMGEXIT -> {
                KvmUserVmgexit v = KvmUserVmgexit.decode(exit, 0);
                int ret = switch (answer) {
                    case OK -> KvmUserVmgexit.RET_OK;
                    case NO_SPACE -> KvmUserVmgexit.RET_INVALID_LEN;
                    case AGAIN -> KvmUserVmgexit.RET_BUSY;
                    case IO_ERROR -> Errno.EIO;
                };
                int flags = answer == Answer.OK && notifyDone ? KvmUserVmgexit.FLAG_NOTIFY_DONE : 0;
                yield new KvmUserVmgexit(v.type(), v.dataGpa(), answer == Answer.NO_SPACE ? pagesNeeded : v.dataNpages(),
                        ret, flags, v.status()).encode();
            }
            case EMPTY_TABLE -> throw new IllegalArgumentException("profile EMPTY_TABLE has no certificate exit");
        };
    }

    private static int errnoOf(Answer a) {
        return switch (a) {
            case OK -> 0;
            case NO_SPACE -> Errno.ENOSPC;
            case AGAIN -> Errno.EAGAIN;
            case IO_ERROR -> Errno.EIO;
        };
    }

    /** KVM's completion callback ({@code complete_userspace_io}) for the exit as userspace returned it. */
    public static Completion complete(HostAbiProfile profile, byte[] returned) {
        try {
            return switch (profile) {
                case COCO -> completeCoco(KvmExitCoco.decode(returned, 0));
                case SNP_REQ_CERTS -> completeReqCerts(KvmExitSnpReqCerts.decode(returned, 0));
                case V15_VMGEXIT -> completeV15(KvmUserVmgexit.decode(returned, 0));
                case EMPTY_TABLE -> new RunFails(Errno.EINVAL, "profile EMPTY_TABLE has no certificate exit to complete");
            };
        } catch (AbiException e) {
            return new RunFails(Errno.EINVAL, "userspace returned a malformed exit: " + e.getMessage());
        }
    }

    private static Completion completeCoco(KvmExitCoco c) {
        return switch (c.ret()) {
            case 0 -> new IssueRequest(false);
            case Errno.ENOSPC -> new GuestError(ExitInfo2.of(VmmError.INVALID_LEN, 0), Integer.toUnsignedLong(c.npages()));
            case Errno.EAGAIN -> new GuestError(ExitInfo2.of(VmmError.BUSY, 0), -1);
            default -> new GuestError(ExitInfo2.of(VmmError.GENERIC, 0), -1);
        };
    }

    private static Completion completeReqCerts(KvmExitSnpReqCerts s) {
        long ret = s.ret();
        if (ret == 0) {
            return new IssueRequest(false);
        } else if (ret == Errno.ENOSPC) {
            return new GuestError(ExitInfo2.of(VmmError.INVALID_LEN, 0), s.npages());
        } else if (ret == Errno.EAGAIN) {
            return new GuestError(ExitInfo2.of(VmmError.BUSY, 0), -1);
        } else if (ret == Errno.EIO) {
            return new GuestError(ExitInfo2.of(VmmError.GENERIC, 0), -1);
        }
        return new RunFails(Errno.EINVAL, String.format(Locale.ROOT,
                "kvm_exit_snp_req_certs ret at 0x10 is %d (expected: 0, ENOSPC, EAGAIN or EIO)", ret));
    }

    private static Completion completeV15(KvmUserVmgexit v) {
        return switch (v.ret()) {
            case KvmUserVmgexit.RET_OK -> new IssueRequest(v.notifyDone());
            case KvmUserVmgexit.RET_INVALID_LEN -> new GuestError(ExitInfo2.of(VmmError.INVALID_LEN, 0), v.dataNpages());
            case KvmUserVmgexit.RET_BUSY -> new GuestError(ExitInfo2.of(VmmError.BUSY, 0), -1);
            default -> new GuestError(ExitInfo2.of(VmmError.GENERIC_V15, 0), -1);
        };
    }

    /** KVM's catch-all error as the profile encodes it in SW_EXITINFO2. */
    public static ExitInfo2 generic(HostAbiProfile profile) {
        return ExitInfo2.of(profile == HostAbiProfile.V15_VMGEXIT ? VmmError.GENERIC_V15 : VmmError.GENERIC, 0);
    }
}
