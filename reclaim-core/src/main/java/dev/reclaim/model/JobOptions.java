package dev.reclaim.model;

/**
 * Compute context options (docs/rules.md section 2). Each is nullable: null means "not set at this
 * layer", and the value is resolved per call as explicit argument, then the value the context had
 * at submission, then the default.
 *
 * @param waitForEnd    submit blocks until the job ends (default true)
 * @param autoCleanup   retrieving results deletes the job's artifacts and record (default true)
 * @param consoleOutput results are preceded by the console output (default false)
 */
public record JobOptions(Boolean waitForEnd, Boolean autoCleanup, Boolean consoleOutput) {
    /** Nothing set. */
    public static final JobOptions UNSET = new JobOptions(null, null, null);
    /** Default for {@link #waitForEnd}. */
    public static final boolean DEFAULT_WAIT = true;
    /** Default for {@link #autoCleanup}. */
    public static final boolean DEFAULT_AUTO_CLEANUP = true;
    /** Default for {@link #consoleOutput}. */
    public static final boolean DEFAULT_CONSOLE_OUTPUT = false;

    /** Resolves wait: {@code explicit}, else this layer, else the default. */
    public boolean resolveWait(Boolean explicit) {
        return explicit != null ? explicit : waitForEnd != null ? waitForEnd : DEFAULT_WAIT;
    }

    /** Resolves autoCleanup: {@code explicit}, else this layer, else the default. */
    public boolean resolveAutoCleanup(Boolean explicit) {
        return explicit != null ? explicit : autoCleanup != null ? autoCleanup : DEFAULT_AUTO_CLEANUP;
    }

    /** Resolves consoleOutput: {@code explicit}, else this layer, else the default. */
    public boolean resolveConsoleOutput(Boolean explicit) {
        return explicit != null ? explicit : consoleOutput != null ? consoleOutput : DEFAULT_CONSOLE_OUTPUT;
    }
}
