package dev.reclaim.slurm;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.jobs.external.BatchExecutor;
import dev.reclaim.jobs.external.BatchSubmission;
import dev.reclaim.jobs.external.ExecutorUnavailableException;
import dev.reclaim.jobs.external.ExitRecord;
import dev.reclaim.jobs.external.ExternalState;
import dev.reclaim.jobs.external.ExternalState.Phase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Runs batch jobs on Slurm (docs/executors.md): {@code sbatch --parsable} of a generated script that
 * runs the command with {@code RECLAIM_OUTPUT} set and writes the command's exit status next to the
 * staging folder; one {@code squeue} call per poll for every job; {@code scontrol show job} for a job
 * squeue no longer lists; {@code scancel}. Jobs are submitted with {@code --no-requeue}: a job whose
 * node fails is FAILED (NODE_FAIL), never run a second time behind Reclaim's back.
 */
public final class SlurmExecutor implements BatchExecutor {
    /** The executor's name in jobs, queues and the CLI. */
    public static final String NAME = "slurm";
    /** The options a job or queue may give, with how each is written. */
    public static final Map<String, String> OPTIONS = Map.of(
            "partition", "a partition name, e.g. gpu",
            "time", "a time limit: MINUTES, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS, e.g. 1:00:00",
            "gres", "generic resources, e.g. gpu:1",
            "cpus", "CPUs per task, a whole number from 1",
            "mem", "memory per node, e.g. 4G or 512M");
    private static final Map<String, Pattern> FORMATS = Map.of(
            "partition", Pattern.compile("[A-Za-z0-9_.-]{1,64}"),
            "time", Pattern.compile("\\d{1,6}|\\d{1,6}:\\d{2}|\\d{1,6}:\\d{2}:\\d{2}|\\d{1,4}-\\d{1,2}(:\\d{2}(:\\d{2})?)?"),
            "gres", Pattern.compile("[A-Za-z0-9_:.,=-]{1,128}"),
            "cpus", Pattern.compile("[1-9]\\d{0,3}"),
            "mem", Pattern.compile("[1-9]\\d{0,9}[KMGT]?"));
    /** Pending reasons that mean the job can never start as submitted: it is failed, not waited for. */
    private static final Set<String> NEVER_STARTS = Set.of("PartitionTimeLimit", "PartitionNodeLimit", "BadConstraints",
            "InvalidAccount", "InvalidQOS", "PartitionConfig");

    private final SlurmCommands commands;

    /** Slurm's commands from the PATH, each allowed 30 seconds. */
    public SlurmExecutor() {
        this(null, Duration.ofSeconds(30));
    }

    /**
     * @param binDir  where sbatch, squeue, scontrol and scancel are; null for the PATH
     * @param timeout how long one command may take before Slurm counts as unreachable
     */
    public SlurmExecutor(Path binDir, Duration timeout) {
        this.commands = new SlurmCommands(binDir, timeout);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> checkOptions(Map<String, String> options) {
        Map<String, String> out = new TreeMap<>();
        options.forEach((k, v) -> {
            Pattern format = FORMATS.get(k);
            if (format == null) {
                throw new InvalidArgumentException("unknown Slurm option '" + k + "'; the options are "
                        + String.join(", ", new TreeMap<>(OPTIONS).keySet()));
            }
            if (v == null || !format.matcher(v.trim()).matches()) {
                throw new InvalidArgumentException("Slurm option " + k + " '" + v + "' is not " + OPTIONS.get(k));
            }
            out.put(k, v.trim());
        });
        return out;
    }

    @Override
    public String submit(BatchSubmission s) {
        Path script = s.exitFile().resolveSibling("job.sh");
        try {
            Files.writeString(script, script(s), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the batch script of job " + s.jobId(), e);
        }
        List<String> line = new ArrayList<>(List.of("sbatch", "--parsable", "--no-requeue", "--job-name=" + jobName(s.name()),
                "--output=" + s.consoleFile(), "--open-mode=append", "--chdir=" + s.outputDir()));
        s.options().forEach((k, v) -> line.add(switch (k) {
            case "cpus" -> "--cpus-per-task=" + v;
            default -> "--" + k + "=" + v;
        }));
        line.add(script.toString());
        SlurmCommands.Result r = commands.run(line);
        if (r.exitCode() != 0) {
            String why = r.stderr().strip();
            if (SlurmCommands.unreachable(why)) {
                throw new ExecutorUnavailableException("sbatch could not reach Slurm: " + why);
            }
            throw new InvalidArgumentException("sbatch refused the job: " + why);
        }
        String id = r.stdout().strip();
        int semicolon = id.indexOf(';');
        id = semicolon >= 0 ? id.substring(0, semicolon) : id;
        if (!id.matches("\\d+")) {
            throw new SlurmOutputException("sbatch --parsable printed '" + r.stdout().strip() + "', not a job id");
        }
        return id;
    }

    /**
     * The batch script: the environment, the command (each word single-quoted), and the exit record
     * ({@link ExitRecord}), written to a temporary name and moved, so a half-written record is never
     * read. A program that is not there, or a working folder that cannot be entered, is recorded as
     * such, so the job fails saying so rather than with a bare exit code.
     */
    static String script(BatchSubmission s) {
        StringBuilder b = new StringBuilder("#!/bin/sh\n# Written by Reclaim for job " + s.jobId() + "; the exit record below "
                + "tells Reclaim how it ended.\n");
        Map<String, String> env = new LinkedHashMap<>(new TreeMap<>(s.env()));
        env.put("RECLAIM_JOB_ID", s.jobId());
        env.put("RECLAIM_OUTPUT", s.outputDir().toString());
        env.forEach((k, v) -> b.append("export ").append(k).append('=').append(quote(v)).append('\n'));
        String exit = quote(s.exitFile().toString());
        String tmp = quote(s.exitFile() + ".tmp");
        // a name no program is likely to have: a shell function would shadow a program of its name
        b.append("__reclaim_record() { printf '%s\\n' \"$1\" > ").append(tmp).append(" && mv ").append(tmp).append(' ').append(exit)
                .append("; }\n");
        if (s.workingDir() != null) {
            b.append("cd ").append(quote(s.workingDir())).append(" || { __reclaim_record '125 ").append(ExitRecord.NO_WORKING_DIR)
                    .append("'; exit 125; }\n");
        }
        String program = quote(s.command().get(0));
        b.append("case ").append(program).append(" in */*) [ -f ").append(program).append(" ] && [ -x ").append(program)
                .append(" ] ;; *) command -v -- ").append(program).append(" >/dev/null 2>&1 ;; esac || { __reclaim_record '127 ")
                .append(ExitRecord.CANNOT_START).append("'; exit 127; }\n");
        List<String> words = s.command().stream().map(SlurmExecutor::quote).toList();
        // "command": the program of that name runs, never a shell function (the script's own helper)
        b.append("command ").append(String.join(" ", words)).append('\n');
        b.append("status=$?\n");
        b.append("__reclaim_record \"$status\"\n");
        b.append("exit \"$status\"\n");
        return b.toString();
    }

    /** One shell word: single quotes, with a single quote written as '\''. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String jobName(String name) {
        String n = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        return n.length() > 64 ? n.substring(0, 64) : n;
    }

    @Override
    public Map<String, ExternalState> states(Collection<String> ids) {
        Map<String, ExternalState> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        SlurmCommands.Result r = commands.run(SqueueParser.command(ids));
        if (r.exitCode() != 0 && SlurmCommands.unreachable(r.stderr())) {
            throw new ExecutorUnavailableException("squeue could not reach Slurm: " + r.stderr().strip());
        }
        Map<String, SqueueParser.Row> rows = SqueueParser.parse(r.exitCode(), r.stdout(), r.stderr());
        for (String id : ids) {
            SqueueParser.Row row = rows.get(id);
            if (row != null) {
                out.put(id, state(row.state(), row.reason(), null));
            } else {
                out.put(id, fromScontrol(id));
            }
        }
        return out;
    }

    /** A job squeue does not list: scontrol may still know it; if not, Slurm forgot it. */
    private ExternalState fromScontrol(String id) {
        SlurmCommands.Result r = commands.run(ScontrolParser.command(id));
        if (r.exitCode() != 0 && SlurmCommands.unreachable(r.stderr())) {
            throw new ExecutorUnavailableException("scontrol could not reach Slurm: " + r.stderr().strip());
        }
        Optional<ScontrolParser.Job> job = ScontrolParser.parseOne(id, r.exitCode(), r.stdout(), r.stderr());
        return job.map(j -> state(j.state(), j.reason(), j.exitCode())).orElse(ExternalState.forgotten());
    }

    /**
     * Slurm's state as a phase (docs/executors.md has the table): waiting states are QUEUED (but a
     * pending reason that means it can never start is FAILED); holding resources is RUNNING;
     * COMPLETED and FAILED are ENDED (the exit record decides); a stop by Slurm itself is FAILED with
     * its reason; CANCELLED is CANCELED.
     */
    static ExternalState state(SlurmJobState s, String reason, Integer exitCode) {
        Phase phase = switch (s) {
            case PENDING -> NEVER_STARTS.contains(reason) ? Phase.FAILED : Phase.QUEUED;
            case REQUEUED, REQUEUE_HOLD, REQUEUE_FED, SPECIAL_EXIT, RESV_DEL_HOLD -> Phase.QUEUED;
            case RUNNING, SUSPENDED, COMPLETING, RESIZING, SIGNALING, STAGE_OUT, STOPPED, CONFIGURING -> Phase.RUNNING;
            case COMPLETED, FAILED -> Phase.ENDED;
            case TIMEOUT, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE, OUT_OF_MEMORY -> Phase.FAILED;
            case CANCELLED, REVOKED -> Phase.CANCELED;
        };
        return new ExternalState(phase, s.name(), reason, exitCode);
    }

    @Override
    public void cancel(String id) {
        if (!id.matches("\\d+")) {
            throw new InvalidArgumentException("not a Slurm job id: '" + id + "'");
        }
        SlurmCommands.Result r = commands.run(List.of("scancel", id));
        if (r.exitCode() != 0) {
            throw new ExecutorUnavailableException("scancel " + id + " failed: " + r.stderr().strip());
        }
    }
}
