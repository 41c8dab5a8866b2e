package dev.snpsim.host.certstore;

/** The two kinds of whole-file lock: {@code F_RDLCK} and {@code F_WRLCK} of {@code fcntl(2)}. */
public enum LockMode {
    /** Read lock: any number of descriptions may hold it together. */
    SHARED,
    /** Write lock: held by one description, with no shared holders beside it. */
    EXCLUSIVE;

    /** True where a lock of this mode held by one description excludes {@code other} held by another. */
    public boolean conflictsWith(LockMode other) {
        return this == EXCLUSIVE || other == EXCLUSIVE;
    }
}
