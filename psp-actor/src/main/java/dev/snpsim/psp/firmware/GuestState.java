package dev.snpsim.psp.firmware;

/** The life of a guest context: created by LAUNCH_START, RUNNING after LAUNCH_FINISH. */
public enum GuestState {
    /** Between SNP_LAUNCH_START and SNP_LAUNCH_FINISH: pages may be added. */
    LAUNCHING,
    /** After SNP_LAUNCH_FINISH: guest requests are served. */
    RUNNING
}
