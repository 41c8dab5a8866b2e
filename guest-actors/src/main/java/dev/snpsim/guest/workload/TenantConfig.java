package dev.snpsim.guest.workload;

import dev.snpsim.abi.msg.ReportRequest;

/**
 * One tenant: its guests, their vCPUs, their workload and mix, the key its reports should be
 * signed with, and the VMPL its guests' drivers run at (their VMPCK and the reports' VMPL).
 *
 * @param certPages the certificate buffer extended requests start with (grown on INVALID_LEN)
 */
public record TenantConfig(String name, int guests, int vcpusPerGuest, WorkloadSpec workload, RequestMix mix,
                           SigningKeyPreference signingKey, int vmpl, int certPages) {
    public TenantConfig {
        if (name == null || name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("tenant name '" + name + "' (expected: non-empty, no '/')");
        }
        if (guests < 1 || vcpusPerGuest < 1) {
            throw new IllegalArgumentException("tenant " + name + ": " + guests + " guests of " + vcpusPerGuest
                    + " vcpus (expected: at least 1 of each)");
        }
        if (vmpl < 0 || vmpl > 3) {
            throw new IllegalArgumentException("tenant " + name + ": vmpl " + vmpl + " (expected: 0..3)");
        }
        if (certPages < 0) {
            throw new IllegalArgumentException("tenant " + name + ": certificate pages " + certPages + " (expected: >= 0)");
        }
    }

    /** Which key the tenant's report requests ask the firmware to sign with (MSG_REPORT_REQ KEY_SEL). */
    public enum SigningKeyPreference {
        /** KEY_SEL 0: the VLEK if one is loaded, else the VCEK. */
        DEFAULT(ReportRequest.KEY_SEL_DEFAULT),
        VCEK(ReportRequest.KEY_SEL_VCEK),
        VLEK(ReportRequest.KEY_SEL_VLEK);

        private final int keySel;

        SigningKeyPreference(int keySel) {
            this.keySel = keySel;
        }

        public int keySel() {
            return keySel;
        }
    }
}
