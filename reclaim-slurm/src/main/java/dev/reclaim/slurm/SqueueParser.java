package dev.reclaim.slurm;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the states of many jobs from one {@code squeue} call (Slurm 22.05):
 * {@code squeue --noheader --states=all --jobs=ID,ID,... --format=%i|%T|%r|%N}, one line per job Slurm still
 * knows: job id, state ({@code job_state_string}), reason ({@code None} when there is none) and node list
 * (empty while pending).
 *
 * <p>{@code --states=all} is needed: without it squeue hides ended jobs, which Slurm keeps for
 * {@code MinJobAge} seconds. Jobs Slurm no longer knows are simply absent. One exception: when
 * {@code --jobs} names a single id Slurm does not know, squeue exits 1 and prints
 * {@code slurm_load_jobs error: Invalid job id specified}; with two or more ids it exits 0 and leaves the
 * unknown ones out.
 */
final class SqueueParser {
    /** squeue's {@code --format}; '|' never occurs in ids, states, reasons or node lists. */
    static final String FORMAT = "%i|%T|%r|%N";
    /** What squeue prints on stderr (exit 1) when --jobs names one id Slurm does not know. */
    static final String INVALID_JOB_ID = "slurm_load_jobs error: Invalid job id specified";

    private static final Pattern JOB_ID = Pattern.compile("[0-9]+(_[0-9]+)?");

    /** One line of squeue's output. */
    record Row(String jobId, SlurmJobState state, String reason, String nodeList) {
    }

    private SqueueParser() {
    }

    /** The squeue command line for these job ids (at least one). */
    static List<String> command(Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            throw new IllegalArgumentException("no job ids: squeue would list every job");
        }
        return List.of("squeue", "--noheader", "--states=all", "--jobs=" + String.join(",", jobIds),
                "--format=" + FORMAT);
    }

    /**
     * Parses one squeue call's result into the jobs it lists, by job id, in output order.
     *
     * @throws SlurmOutputException when squeue failed for another reason than an unknown job id, or printed a
     *                              line that is not {@code id|STATE|reason|nodes} (the message quotes the line)
     */
    static Map<String, Row> parse(int exitCode, String stdout, String stderr) {
        if (exitCode != 0) {
            if (stdout.isBlank() && stderr.contains(INVALID_JOB_ID)) {
                return Map.of();
            }
            throw new SlurmOutputException("squeue exited " + exitCode + ": " + stderr.strip());
        }
        return parse(stdout);
    }

    /** Parses squeue's standard output (exit code 0). */
    static Map<String, Row> parse(String stdout) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : stdout.split("\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            Row row = parseLine(line);
            if (rows.putIfAbsent(row.jobId(), row) != null) {
                throw new SlurmOutputException("squeue listed job " + row.jobId() + " twice: '" + line + "'");
            }
        }
        return rows;
    }

    static Row parseLine(String line) {
        String[] f = line.split("\\|", -1);
        if (f.length != 4) {
            throw new SlurmOutputException("squeue line is not id|STATE|reason|nodes: '" + line + "'");
        }
        if (!JOB_ID.matcher(f[0]).matches()) {
            throw new SlurmOutputException("squeue line has no job id: '" + line + "'");
        }
        SlurmJobState state;
        try {
            state = SlurmJobState.parse(f[1]);
        } catch (SlurmOutputException e) {
            throw new SlurmOutputException(e.getMessage() + " in squeue line '" + line + "'");
        }
        if (f[2].isEmpty()) {
            throw new SlurmOutputException("squeue line has no reason: '" + line + "'");
        }
        return new Row(f[0], state, f[2], f[3]);
    }
}
