package dev.snpsim.guest.hostile;

/** The abuses a {@link HostileGuest} can commit, and what the host answers to each. */
public enum Abuse {
    /** The same sealed page sent again after the firmware consumed it: firmware INVALID_PARAM (seqno not last + 1). */
    REPLAYED_SEQNO,
    /** A new message sealed with an already used, lower sequence number: firmware INVALID_PARAM. */
    STALE_SEQNO,
    /** A valid message with one ciphertext bit flipped: firmware INVALID_PARAM (tag does not authenticate). */
    TAMPERED_CIPHERTEXT,
    /** A message sealed with another guest's VMPCK0: firmware INVALID_PARAM (tag). */
    FOREIGN_VMPCK,
    /** A message sealed with an all-zero (wiped) VMPCK: firmware INVALID_PARAM (tag). */
    WIPED_VMPCK,
    /** An extended request whose certificate buffer (RAX) is not page aligned: KVM's GENERIC error. */
    UNALIGNED_CERT_BUFFER,
    /** An extended request whose certificate buffer lies outside guest memory: GENERIC. */
    OUT_OF_RANGE_CERT_BUFFER,
    /** An extended request whose certificate buffer is a private page: the VMM cannot write it (EIO -> GENERIC). */
    PRIVATE_CERT_BUFFER,
    /** An extended request claiming 2^40 certificate pages: GENERIC. */
    ABSURD_PAGE_COUNT,
    /** A report for VMPL0 sealed with VMPCK1: the firmware answers, the payload STATUS is 0x16 invalid parameters. */
    PRIVILEGED_VMPL,
    /** A guest request from a VM that is not an SNP VM: GENERIC, the PSP never sees it. */
    NON_SNP_VM
}
