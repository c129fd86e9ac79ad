package dev.reclaim.slurm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code scontrol show job -o ID} (one job) or {@code scontrol -o show job} (every job Slurm knows) in
 * Slurm 22.05: one line per job of {@code Key=Value} pairs separated by single spaces.
 *
 * <p>Values can be empty ({@code NodeList=} while pending, {@code Power=}) and can contain spaces
 * ({@code JobName=my job}) and '=' ({@code TRES=cpu=1,node=1}); a key is a word followed by '=' right after a
 * space. 22.05's scontrol takes ONE job id: {@code scontrol show job -o 3,4} fails with
 * {@code scontrol_print_job error: Invalid job id specified}. For a job Slurm no longer knows (ended more than
 * {@code MinJobAge} seconds ago, or never existed) it prints nothing on stdout,
 * {@code slurm_load_jobs error: Invalid job id specified} on stderr and exits 1.
 */
final class ScontrolParser {
    /** What scontrol prints on stderr (exit 1) for a job Slurm does not know. */
    static final String INVALID_JOB_ID = "slurm_load_jobs error: Invalid job id specified";

    private static final Pattern KEY = Pattern.compile("(?:^| )([A-Za-z][A-Za-z0-9_/:]*)=");
    private static final Pattern JOB_ID = Pattern.compile("[0-9]+");
    private static final Pattern EXIT_CODE = Pattern.compile("([0-9]+):([0-9]+)");

    /**
     * A job as scontrol shows it.
     *
     * @param exitCode the script's exit status (0 when killed by a signal)
     * @param signal   the signal that ended it, 0 when none (a cancelled running job shows 15)
     * @param stdOut   where its standard output goes (absent for a job that is not a batch job)
     * @param nodeList empty while pending
     * @param fields   every field, in output order
     */
    record Job(String jobId, SlurmJobState state, String reason, int exitCode, int signal,
               Optional<String> stdOut, String nodeList, Map<String, String> fields) {
        /**
         * What Slurm says about the job, for users: state, reason, and the exit code or signal when not 0,
         * e.g. {@code FAILED (NonZeroExitCode), exit code 3} or {@code TIMEOUT (TimeLimit), signal 15}.
         */
        String describe() {
            String d = state.describe(reason);
            if (exitCode != 0) {
                d += ", exit code " + exitCode;
            }
            if (signal != 0) {
                d += ", signal " + signal;
            }
            return d;
        }
    }

    private ScontrolParser() {
    }

    /** The scontrol command line for one job. */
    static List<String> command(String jobId) {
        checkJobId(jobId);
        return List.of("scontrol", "show", "job", "-o", jobId);
    }

    /**
     * Parses one {@code scontrol show job -o ID} call: the job, or empty when Slurm no longer knows it.
     *
     * @throws SlurmOutputException when scontrol failed otherwise, listed another job or several, or printed a
     *                              line it should not (the message quotes it)
     */
    static Optional<Job> parseOne(String jobId, int exitCode, String stdout, String stderr) {
        checkJobId(jobId);
        if (exitCode != 0) {
            if (stdout.isBlank() && stderr.contains(INVALID_JOB_ID)) {
                return Optional.empty();
            }
            throw new SlurmOutputException("scontrol exited " + exitCode + ": " + stderr.strip());
        }
        List<Job> jobs = parse(stdout);
        if (jobs.size() != 1 || !jobs.get(0).jobId().equals(jobId)) {
            throw new SlurmOutputException("scontrol show job " + jobId + " printed " + jobs.size()
                    + " job(s) " + jobs.stream().map(Job::jobId).toList() + ": '" + stdout.strip() + "'");
        }
        return Optional.of(jobs.get(0));
    }

    /** One numeric id: scontrol answers a list such as "3,4" with the same error as an unknown id. */
    private static void checkJobId(String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("not one Slurm job id: '" + jobId + "'");
        }
    }

    /** Parses scontrol's standard output: one job per non-blank line. */
    static List<Job> parse(String stdout) {
        List<Job> jobs = new ArrayList<>();
        for (String line : stdout.split("\n", -1)) {
            if (!line.isBlank()) {
                jobs.add(parseLine(line));
            }
        }
        return jobs;
    }

    static Job parseLine(String line) {
        Map<String, String> f = fields(line);
        String jobId = required(f, "JobId", line);
        if (!JOB_ID.matcher(jobId).matches()) {
            throw new SlurmOutputException("scontrol line has a malformed JobId '" + jobId + "': '" + line + "'");
        }
        SlurmJobState state;
        try {
            state = SlurmJobState.parse(required(f, "JobState", line));
        } catch (SlurmOutputException e) {
            throw new SlurmOutputException(e.getMessage() + " in scontrol line '" + line + "'");
        }
        Matcher exit = EXIT_CODE.matcher(required(f, "ExitCode", line));
        if (!exit.matches()) {
            throw new SlurmOutputException("scontrol line has a malformed ExitCode '" + f.get("ExitCode")
                    + "': '" + line + "'");
        }
        String stdOut = f.get("StdOut");
        String nodeList = required(f, "NodeList", line);
        return new Job(jobId, state, required(f, "Reason", line), Integer.parseInt(exit.group(1)),
                Integer.parseInt(exit.group(2)),
                stdOut == null || stdOut.isEmpty() ? Optional.empty() : Optional.of(stdOut),
                "(null)".equals(nodeList) ? "" : nodeList, f);
    }

    /** Splits a line into its fields; a line that does not start with {@code JobId=} is not a job. */
    static Map<String, String> fields(String line) {
        String l = line.stripTrailing();
        if (!l.startsWith("JobId=")) {
            throw new SlurmOutputException("scontrol line does not start with JobId=: '" + line + "'");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = KEY.matcher(l);
        String key = null;
        int valueStart = 0;
        while (m.find()) {
            if (key != null) {
                put(fields, key, l.substring(valueStart, m.start()), line);
            }
            key = m.group(1);
            valueStart = m.end();
        }
        put(fields, key, l.substring(valueStart), line);
        return fields;
    }

    private static void put(Map<String, String> fields, String key, String value, String line) {
        if (fields.putIfAbsent(key, value) != null) {
            throw new SlurmOutputException("scontrol line has " + key + " twice: '" + line + "'");
        }
    }

    private static String required(Map<String, String> f, String key, String line) {
        String v = f.get(key);
        if (v == null) {
            throw new SlurmOutputException("scontrol line has no " + key + ": '" + line + "'");
        }
        return v;
    }
}
