package dev.reclaim.cli;

/** Exit codes of every command, as the README lists them. */
final class ExitCodes {
    /** Done. */
    static final int OK = 0;
    /** Something failed (a job failed, a deletion did not complete, a job could not be canceled). */
    static final int FAILED = 1;
    /** Bad usage or input; nothing was changed. */
    static final int USAGE = 2;
    /** Refused: needs {@code --force} (or another option that allows it, such as {@code --replace}). */
    static final int NEEDS_FORCE = 3;

    private ExitCodes() {
    }
}
