package dev.snpsim.abi.msg;

import static dev.snpsim.abi.msg.MsgLayout.*;

import dev.snpsim.abi.AbiException;
import dev.snpsim.abi.LeBytes;
import java.util.Arrays;

/**
 * MSG_REPORT_RSP (SNP ABI spec, Table "MSG_REPORT_RSP Message Structure"):
 *
 * <pre>
 *   0x00 STATUS u32        0 success, 0x16 invalid parameters, 0x27 invalid key
 *   0x04 REPORT_SIZE u32   0x4a0 on success
 *   0x08 reserved[24]
 *   0x20 REPORT[REPORT_SIZE]
 * </pre>
 *
 * {@code report} holds the raw report bytes (decode them with
 * {@link dev.snpsim.abi.report.AttestationReport#decode}); it is empty on failure.
 */
public record ReportResponse(int status, int reportSize, byte[] report) {
    /** Size of a report. */
    public static final int REPORT_SIZE = 0x4A0;

    public ReportResponse {
        ResponseStatus st = ResponseStatus.of(status);
        if (report == null) {
            throw new AbiException("report response report is missing");
        }
        if (reportSize != report.length) {
            throw AbiException.of("report response report_size is 0x%x but the report is %d bytes", reportSize, report.length);
        }
        if (st == ResponseStatus.SUCCESS && reportSize != REPORT_SIZE) {
            throw AbiException.of("report response report_size is 0x%x on success (expected: 0x4a0)", reportSize);
        }
        if (st != ResponseStatus.SUCCESS && reportSize != 0) {
            throw AbiException.of("report response carries a 0x%x-byte report with status 0x%x (expected: none)",
                    reportSize, status);
        }
        report = report.clone();
    }

    /** A successful response carrying {@code report} (0x4A0 bytes). */
    public static ReportResponse success(byte[] report) {
        return new ReportResponse(ResponseStatus.SUCCESS.code(), report == null ? 0 : report.length, report);
    }

    /** A failed response. */
    public static ReportResponse failure(ResponseStatus status) {
        return new ReportResponse(status.code(), 0, new byte[0]);
    }

    public ResponseStatus responseStatus() {
        return ResponseStatus.of(status);
    }

    @Override
    public byte[] report() {
        return report.clone();
    }

    /** 0x20 + REPORT_SIZE bytes. */
    public byte[] encode() {
        byte[] b = new byte[REPORT_RSP_REPORT + report.length];
        LeBytes.putU32(b, REPORT_RSP_STATUS, status);
        LeBytes.putU32(b, REPORT_RSP_SIZE_FIELD, reportSize);
        System.arraycopy(report, 0, b, REPORT_RSP_REPORT, report.length);
        return b;
    }

    /** Decodes a payload at least 0x20 + REPORT_SIZE bytes long (trailing bytes are ignored). */
    public static ReportResponse decode(byte[] b) {
        LeBytes.requireAtLeast(b, REPORT_RSP_REPORT, "report response");
        int status = LeBytes.u32(b, REPORT_RSP_STATUS);
        try {
            ResponseStatus.of(status);
        } catch (AbiException e) {
            throw new AbiException("report response at 0x0: " + e.getMessage(), e);
        }
        long size = Integer.toUnsignedLong(LeBytes.u32(b, REPORT_RSP_SIZE_FIELD));
        LeBytes.requireZero(b, REPORT_RSP_RESERVED, REPORT_RSP_REPORT, "report response reserved");
        if (REPORT_RSP_REPORT + size > b.length) {
            throw AbiException.of("report response report_size at 0x4 is 0x%x but only 0x%x bytes follow",
                    size, b.length - REPORT_RSP_REPORT);
        }
        return new ReportResponse(status, (int) size, LeBytes.slice(b, REPORT_RSP_REPORT, (int) size));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReportResponse r && status == r.status && Arrays.equals(report, r.report);
    }

    @Override
    public int hashCode() {
        return status * 31 + Arrays.hashCode(report);
    }

    @Override
    public String toString() {
        return "ReportResponse[status=0x" + Integer.toHexString(status) + ", reportSize=0x" + Integer.toHexString(reportSize) + "]";
    }
}
