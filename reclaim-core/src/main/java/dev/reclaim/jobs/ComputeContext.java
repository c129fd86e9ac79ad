package dev.reclaim.jobs;

import dev.reclaim.model.JobOptions;
import dev.reclaim.model.Names;

/**
 * Where and how jobs run (docs/rules.md section 2). Every option may be left unset (null), in
 * which case a call's explicit argument, or else the default, decides.
 *
 * @param queue   the queue jobs wait on; {@link #DEFAULT_QUEUE} if null
 * @param options wait / autoCleanup / consoleOutput as set on this context
 */
public record ComputeContext(String queue, JobOptions options) {
    /** The queue used when none is given. */
    public static final String DEFAULT_QUEUE = "default";

    public ComputeContext {
        queue = queue == null ? DEFAULT_QUEUE : Names.QUEUE.check(queue);
        options = options == null ? JobOptions.UNSET : options;
    }

    /** The default queue, every option unset. */
    public static ComputeContext local() {
        return new ComputeContext(DEFAULT_QUEUE, JobOptions.UNSET);
    }

    /** A copy with {@code wait} set. */
    public ComputeContext withWait(Boolean wait) {
        return new ComputeContext(queue, new JobOptions(wait, options.autoCleanup(), options.consoleOutput()));
    }

    /** A copy with {@code autoCleanup} set. */
    public ComputeContext withAutoCleanup(Boolean autoCleanup) {
        return new ComputeContext(queue, new JobOptions(options.waitForEnd(), autoCleanup, options.consoleOutput()));
    }

    /** A copy with {@code consoleOutput} set. */
    public ComputeContext withConsoleOutput(Boolean consoleOutput) {
        return new ComputeContext(queue, new JobOptions(options.waitForEnd(), options.autoCleanup(), consoleOutput));
    }

    /** A copy on another queue. */
    public ComputeContext withQueue(String newQueue) {
        return new ComputeContext(newQueue, options);
    }
}
