package dev.reclaim.jobs;

import dev.reclaim.InvalidArgumentException;

import java.util.Map;
import java.util.TreeMap;

/**
 * A command job run by a cluster manager ({@link dev.reclaim.jobs.external.BatchExecutor}, e.g.
 * Slurm) instead of Reclaim's own workers. Statuses, outputs, console output, cancel and cleanup
 * follow the same rules as for a local command job.
 *
 * @param command  the command, its name, project, environment and working directory
 * @param executor the executor's name ({@code slurm})
 * @param options  the executor's options for this job (partition, time, gres, cpus, mem), over the
 *                 queue's; checked by the executor when the job is submitted
 */
public record BatchJob(CommandJob command, String executor, Map<String, String> options) implements JobSpec {
    public BatchJob {
        if (command == null) {
            throw new InvalidArgumentException("a batch job needs a command");
        }
        if (executor == null || !executor.matches("[a-z][a-z0-9-]{0,31}")) {
            throw new InvalidArgumentException("executor must be a name such as slurm, got '" + executor + "'");
        }
        options = options == null ? Map.of() : Map.copyOf(new TreeMap<>(options));
    }

    @Override
    public String name() {
        return command.name();
    }

    @Override
    public String project() {
        return command.project();
    }
}
