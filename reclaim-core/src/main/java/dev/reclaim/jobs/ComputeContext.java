package dev.reclaim.jobs;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.JobOptions;

/**
 * Where and how jobs run (semantics.md section 2). Every option may be left unset (null), in
 * which case a call's explicit argument, or else the default, decides.
 *
 * @param queue   the queue jobs wait on; {@link #DEFAULT_QUEUE} if null
 * @param options wait / autoCleanup / consoleOutput as set on this context
 */
public record ComputeContext(String queue, JobOptions options) {
    /** The queue used when none is given. */
    public static final String DEFAULT_QUEUE = "default";

    public ComputeContext {
        queue = queue == null ? DEFAULT_QUEUE : queue;
        if (queue.isBlank() || !queue.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new InvalidArgumentException("queue name '" + queue
                    + "' is not valid; use 1-64 letters, digits, '.', '_' or '-'");
        }
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
