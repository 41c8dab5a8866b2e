package dev.snpsim.host.mgmt;

/** Points between the steps of a management operation where a test can make the tool crash. */
public enum CrashPoint {
    /** The exclusive lock is held; nothing has changed yet. */
    AFTER_LOCK,
    /** The firmware has the new key (or TCB); the blob still holds the old certificates. */
    AFTER_FIRMWARE,
    /** The blob has been rewritten; the lock is still held. */
    AFTER_BLOB
}
