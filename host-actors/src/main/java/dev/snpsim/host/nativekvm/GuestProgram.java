package dev.snpsim.host.nativekvm;

import static dev.snpsim.host.nativekvm.GhcbLayout.*;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.EAX;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.EBP;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.EBX;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.ECX;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.EDI;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.EDX;
import static dev.snpsim.host.nativekvm.X86Asm.Reg.ESI;
import static dev.snpsim.host.nativekvm.X86Asm.mem;

import dev.snpsim.host.nativekvm.X86Asm.Label;
import dev.snpsim.host.nativekvm.X86Asm.Mem;
import java.util.List;
import java.util.Map;

/**
 * The guest program: real x86 code (32-bit flat protected mode, no paging) that issues
 * extended guest requests the way an SNP guest does through its GHCB, with an I/O port write
 * standing in for VMGEXIT.
 *
 * <p>Why 32-bit protected mode: flat 32-bit addressing reaches every vCPU's area directly
 * ({@code [esi + disp32]}), with no segment arithmetic as real mode would need and no page
 * tables as long mode would; KVM loads the flat segments through KVM_SET_SREGS, so no GDT is
 * needed in guest memory. Values above 32 bits (the u64 GHCB fields) are handled as two
 * dwords.
 *
 * <p>Each vCPU runs the same code with ESI = the base of its own area:
 * <pre>
 *  area + 0x0000  request block, laid out like the GHCB page (see below)
 *  area + 0x1000  private page: u32 npages @0x00, iterations left @0x04, successes @0x08,
 *                 busy retries @0x0c, invalid-len retries @0x10, bad tables @0x14, errors @0x18,
 *                 request sequence number @0x1c
 *  area + 0x2000  request page            (SW_EXITINFO1)
 *  area + 0x3000  response page           (SW_EXITINFO2 on entry)
 *  area + 0x4000  certificate buffer      (RAX), maxCertPages pages, 4 KiB aligned
 * </pre>
 * Request block (GHCB offsets): RAX @0x1f8 = certificate buffer GPA; RBX @0x318 = pages
 * offered, and pages needed after INVALID_LEN; SW_EXITCODE @0x390 = 0x8000_0012
 * (SVM_VMGEXIT_EXT_GUEST_REQUEST); SW_EXITINFO1 @0x398 = request page GPA; SW_EXITINFO2 @0x3a0
 * = response page GPA on entry and the result on return (bits 63:32 VMM error: 1 INVALID_LEN,
 * 2 BUSY; bits 31:0 firmware error); VALID_BITMAP @0x3f0 marks those five qwords.
 *
 * <p>The request page carries no real guest message, only the guest's request sequence
 * number at {@link #REQUEST_SEQNO_OFFSET} (where a guest message header holds MSG_SEQNO): 1 for
 * the first request, one more for every new request (each iteration, and the new request after
 * INVALID_LEN, as the Linux driver issues one), unchanged when a request is retried after BUSY
 * (the driver resends the same message). A host bridge can thus tell retries from new requests.
 *
 * <p>Per iteration: fill the block, {@code out DOORBELL_PORT, eax} with EAX = the block's GPA
 * (the GHCB MSR's role), then read the result: BUSY → retry the same request; INVALID_LEN →
 * offer the pages needed (if more than offered and within the buffer, else count an error) and
 * ask again; 0 with firmware error 0 → walk the certificate table: 24-byte entries up to the
 * all-zero terminator, which must lie inside the offered buffer, each entry's offset + length
 * inside the buffer, at least one entry; good → success, else bad table; anything else → error.
 * At the end: five {@code out REPORT_PORT, eax} (successes, busy retries, invalid-len retries,
 * bad tables, errors), then {@code hlt}.
 */
public final class GuestProgram {
    /** The doorbell port: an OUT here is the program's VMGEXIT. */
    public static final int DOORBELL_PORT = 0xE0;
    /** The report port: the five counters, in order, before HLT. */
    public static final int REPORT_PORT = 0xE4;
    /** SVM_VMGEXIT_GUEST_REQUEST. */
    public static final long EXIT_GUEST_REQUEST = 0x8000_0011L;
    /** SVM_VMGEXIT_EXT_GUEST_REQUEST. */
    public static final long EXIT_EXT_GUEST_REQUEST = 0x8000_0012L;
    /** VMM error INVALID_LEN as the guest compares it (SW_EXITINFO2 bits 63:32). */
    public static final int VMM_ERROR_INVALID_LEN = 1;
    /** VMM error BUSY (SW_EXITINFO2 bits 63:32). */
    public static final int VMM_ERROR_BUSY = 2;
    /** Size of one page. */
    public static final int PAGE = 0x1000;
    /** Offset in the request page of the guest's u64 request sequence number. */
    public static final int REQUEST_SEQNO_OFFSET = REQUEST_SEQNO;
    /** Number of counters reported through {@link #REPORT_PORT}. */
    public static final int REPORTED_COUNTERS = 5;

    private final GuestProgramConfig config;
    private final byte[] code;
    private final String listing;
    private final List<X86Asm.Line> lines;
    private final Map<String, Integer> labels;

    private GuestProgram(GuestProgramConfig config, X86Asm asm) {
        this.config = config;
        this.code = asm.assemble();
        this.listing = asm.listing();
        this.lines = asm.lines();
        this.labels = asm.labels();
    }

    public GuestProgramConfig config() {
        return config;
    }

    /** The machine code, loaded at any address (all jumps are relative). */
    public byte[] code() {
        return code.clone();
    }

    /** The assembler's listing: offsets, bytes and Intel-syntax text. */
    public String listing() {
        return listing;
    }

    /** The instructions, as the assembler emitted them. */
    public List<X86Asm.Line> lines() {
        return lines;
    }

    /** The program's labels and their offsets. */
    public Map<String, Integer> labels() {
        return labels;
    }

    /** Bytes of one vCPU's area: request block, private page, request, response, certificate buffer. */
    public long areaSize() {
        return AREA_CERT_BUFFER + (long) config.maxCertPages() * PAGE;
    }

    /** Assembles the program for {@code config}. */
    public static GuestProgram assemble(GuestProgramConfig config) {
        X86Asm a = new X86Asm();
        Label nextIteration = a.newLabel("next_iteration");
        Label send = a.newLabel("send");
        Label notBusy = a.newLabel("not_busy");
        Label notInvalidLen = a.newLabel("not_invalid_len");
        Label walk = a.newLabel("walk");
        Label endOfTable = a.newLabel("end_of_table");
        Label badTable = a.newLabel("bad_table");
        Label failed = a.newLabel("failed");
        Label iterationDone = a.newLabel("iteration_done");
        Label report = a.newLabel("report");
        Label halt = a.newLabel("halt");

        // start: the private counters
        a.mov(priv(PRIV_ITERATIONS_LEFT), config.iterations())
                .mov(priv(PRIV_NPAGES), config.initialPages());
        for (int counter = PRIV_SUCCESSES; counter <= PRIV_SEQUENCE; counter += 4) {
            a.mov(priv(counter), 0);
        }
        a.label(nextIteration)
                .cmp(priv(PRIV_ITERATIONS_LEFT), 0)
                .je(report)
                .inc(priv(PRIV_SEQUENCE));

        // the request page's sequence number, then the request block, then the doorbell
        a.label(send)
                .mov(EAX, priv(PRIV_SEQUENCE))
                .mov(mem(ESI, AREA_REQUEST_PAGE + REQUEST_SEQNO), EAX)
                .mov(mem(ESI, AREA_REQUEST_PAGE + REQUEST_SEQNO + 4), 0)
                .mov(ghcb(SW_EXITCODE), (int) EXIT_EXT_GUEST_REQUEST)
                .mov(ghcb(SW_EXITCODE + 4), 0)
                .lea(EAX, mem(ESI, AREA_REQUEST_PAGE))
                .mov(ghcb(SW_EXITINFO1), EAX)
                .mov(ghcb(SW_EXITINFO1 + 4), 0)
                .lea(EAX, mem(ESI, AREA_RESPONSE_PAGE))
                .mov(ghcb(SW_EXITINFO2), EAX)
                .mov(ghcb(SW_EXITINFO2 + 4), 0)
                .lea(EAX, mem(ESI, AREA_CERT_BUFFER))
                .mov(ghcb(RAX), EAX)
                .mov(ghcb(RAX + 4), 0)
                .mov(EAX, priv(PRIV_NPAGES))
                .mov(ghcb(RBX), EAX)
                .mov(ghcb(RBX + 4), 0);
        int[] valid = validBitmapDwords();
        for (int i = 0; i < valid.length; i++) {
            a.mov(ghcb(VALID_BITMAP + 4 * i), valid[i]);
        }
        a.mov(EAX, ESI)
                .outEax(DOORBELL_PORT);

        // the result: VMM error in the upper dword of SW_EXITINFO2
        a.mov(EAX, ghcb(SW_EXITINFO2 + 4))
                .cmp(EAX, VMM_ERROR_BUSY)
                .jne(notBusy)
                .inc(priv(PRIV_BUSY_RETRIES))
                .jmp(send);
        a.label(notBusy)
                .cmp(EAX, VMM_ERROR_INVALID_LEN)
                .jne(notInvalidLen)
                .inc(priv(PRIV_INVALID_LEN_RETRIES))
                .mov(EAX, ghcb(RBX))
                .cmp(EAX, config.maxCertPages())
                .ja(failed)                         // needs more than the buffer holds
                .cmp(EAX, priv(PRIV_NPAGES))
                .jbe(failed)                        // asking again with no more pages would loop
                .mov(priv(PRIV_NPAGES), EAX)
                .inc(priv(PRIV_SEQUENCE))           // a new request, as the driver sends after ENOSPC
                .jmp(send);
        a.label(notInvalidLen)
                .test(EAX, EAX)
                .jne(failed)
                .cmp(ghcb(SW_EXITINFO2), 0)         // firmware error
                .jne(failed);

        // walk the certificate table: ebx = buffer, ecx = offered bytes, edi = entry, edx = entries
        a.lea(EBX, mem(ESI, AREA_CERT_BUFFER))
                .mov(ECX, priv(PRIV_NPAGES))
                .shl(ECX, 12)
                .mov(EDI, EBX)
                .xor(EDX, EDX);
        a.label(walk)
                .mov(EAX, EDI)
                .sub(EAX, EBX)
                .add(EAX, 24)
                .cmp(EAX, ECX)
                .ja(badTable)                       // entry (or terminator) runs past the buffer
                .mov(EAX, mem(EDI, 0));
        for (int dword = 4; dword < 24; dword += 4) {
            a.or(EAX, mem(EDI, dword));
        }
        a.je(endOfTable)
                .mov(EAX, mem(EDI, 16))             // offset
                .cmp(EAX, ECX)
                .ja(badTable)
                .mov(EBP, ECX)
                .sub(EBP, EAX)                      // room after the offset
                .cmp(mem(EDI, 20), EBP)             // length
                .ja(badTable)
                .add(EDI, 24)
                .inc(EDX)
                .jmp(walk);
        a.label(endOfTable)
                .test(EDX, EDX)
                .je(badTable)
                .inc(priv(PRIV_SUCCESSES))
                .jmp(iterationDone);
        a.label(badTable)
                .inc(priv(PRIV_BAD_TABLES))
                .jmp(iterationDone);
        a.label(failed)
                .inc(priv(PRIV_ERRORS));
        a.label(iterationDone)
                .dec(priv(PRIV_ITERATIONS_LEFT))
                .jmp(nextIteration);

        // report the counters and halt
        a.label(report);
        for (int counter = PRIV_SUCCESSES; counter <= PRIV_ERRORS; counter += 4) {
            a.mov(EAX, priv(counter)).outEax(REPORT_PORT);
        }
        a.label(halt)
                .hlt()
                .jmp(halt);
        return new GuestProgram(config, a);
    }

    /** VALID_BITMAP as four little-endian dwords, with the five fields the program writes. */
    static int[] validBitmapDwords() {
        int[] dwords = new int[4];
        for (int field : new int[] {RAX, RBX, SW_EXITCODE, SW_EXITINFO1, SW_EXITINFO2}) {
            int bit = validBit(field);
            dwords[bit / 32] |= 1 << (bit % 32);
        }
        return dwords;
    }

    private static Mem ghcb(int offset) {
        return mem(ESI, AREA_GHCB + offset);
    }

    private static Mem priv(int offset) {
        return mem(ESI, AREA_PRIVATE + offset);
    }
}
