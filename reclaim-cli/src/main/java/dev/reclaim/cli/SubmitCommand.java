package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.jobs.BatchJob;
import dev.reclaim.jobs.CommandJob;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.JobHandle;
import dev.reclaim.jobs.JobSpec;
import dev.reclaim.model.JobOptions;
import dev.reclaim.model.JobStatus;
import dev.reclaim.slurm.SlurmExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code reclaim jobs submit [options] -- CMD [ARGS...]}. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Submits a command as a job and prints its id (first line of stdout).",
                "The command gets RECLAIM_JOB_ID and RECLAIM_OUTPUT; files it writes to $RECLAIM_OUTPUT/models/, "
                        + "artifacts/, debug/ and result.json become the job's artifacts; its stdout and stderr its console.",
                "It runs in the current folder. By default submit waits until the job ends (it runs it in this "
                        + "process if no worker serves the queue) and exits 0 if it finished, 1 otherwise."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  reclaim jobs submit --name train -- \\",
                "      sh -c 'cd $RECLAIM_OUTPUT && touch models/m.ckpt && echo 1 > result.json'",
                "  id=$(reclaim jobs submit --no-wait --queue gpu -- python train.py)",
                "  reclaim worker --queue gpu     # elsewhere: runs the queued job",
                "  reclaim jobs submit --executor slurm --partition gpu --time 4:00:00 --gres gpu:1 -- python train.py",
                "  reclaim worker --slurm         # follows Slurm jobs of queue slurm: submits, watches, registers outputs"})
final class SubmitCommand extends HomeCommand {
    @Option(names = "--name", paramLabel = "N", description = "Job name. Default: the program's name.")
    String name;

    @Option(names = "--project", paramLabel = "P", description = "Project. Default: default.")
    String project;

    @Option(names = "--queue", paramLabel = "Q", description = "Queue the job waits on. Default: default.")
    String queue;

    @Option(names = "--no-wait", description = "Return at once after queueing; a worker runs the job.")
    boolean noWait;

    @Option(names = "--no-auto-cleanup",
            description = "Keep the job's artifacts when its results are retrieved (default: retrieving results deletes them).")
    boolean noAutoCleanup;

    @Option(names = "--console-output",
            description = "Results are preceded by the console output; when waiting, the console is also printed to stderr.")
    boolean consoleOutput;

    @Option(names = "--executor", paramLabel = "E", description = "Where the job runs: local (Reclaim's workers, the "
            + "default) or slurm (submitted with sbatch; its staging folder must be on storage the Slurm nodes share). "
            + "With slurm the queue defaults to slurm. Default: what the home's config says of the queue "
            + "(queues.QUEUE.executor), else local.")
    String executor;

    @Option(names = "--partition", paramLabel = "P", description = "Slurm partition (with --executor slurm).")
    String partition;

    @Option(names = "--time", paramLabel = "LIMIT", description = "Slurm time limit, e.g. 1:00:00 (with --executor slurm).")
    String time;

    @Option(names = "--gres", paramLabel = "G", description = "Slurm generic resources, e.g. gpu:1 (with --executor slurm).")
    String gres;

    @Option(names = "--cpus", paramLabel = "N", description = "Slurm CPUs per task (with --executor slurm).")
    String cpus;

    @Option(names = "--mem", paramLabel = "M", description = "Slurm memory per node, e.g. 4G (with --executor slurm).")
    String mem;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The program and its arguments, after '--'.")
    List<String> command;

    private JobSpec job;
    private ComputeContext context;

    @Override
    void validate() {
        CliEnvironment env = root().environment();
        // a queue the config gives to an executor brings its options; the command line's win
        Map<String, String> options = new TreeMap<>(queue == null ? Map.of() : QueueConfig.of(root().home().dir(), queue));
        String configured = options.remove("executor");
        String chosen = executor != null ? executor : configured != null ? configured : "local";
        String[][] given = {{"partition", partition}, {"time", time}, {"gres", gres}, {"cpus", cpus}, {"mem", mem}};
        for (String[] o : given) {
            if (o[1] != null) {
                options.put(o[0], o[1]);
            }
        }
        boolean slurm = switch (chosen) {
            case "local" -> false;
            case SlurmExecutor.NAME -> true;
            default -> throw new InvalidArgumentException((executor != null ? "--executor" : "queues." + queue + ".executor")
                    + " must be local or slurm, got '" + chosen + "'");
        };
        if (!slurm && !options.isEmpty()) {
            throw new InvalidArgumentException("--" + options.keySet().iterator().next() + " is a Slurm option; add "
                    + "--executor slurm to run the job on Slurm");
        }
        String q = queue == null && slurm ? SlurmExecutor.NAME : queue;
        context = new ComputeContext(q, new JobOptions(noWait ? Boolean.FALSE : null,
                noAutoCleanup ? Boolean.FALSE : null, consoleOutput ? Boolean.TRUE : null));
        CommandJob commandJob = new CommandJob(name, project, command, Map.of(), env.cwd().toString());
        if (slurm) {
            // the program must exist where Slurm runs it, which this machine cannot check
            job = new BatchJob(commandJob, SlurmExecutor.NAME, new SlurmExecutor().checkOptions(options));
        } else {
            job = commandJob;
            Programs.check(command.get(0), env);
        }
    }

    @Override
    boolean runsJobs() {
        return !noWait; // a waiting submit runs the job here when no worker serves its queue
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        JobHandle handle = reclaim.jobs().submit(job, context);
        out().println(handle.id());
        out().flush();
        if (noWait) {
            if (!reclaim.hasLiveWorker(handle.queue())) {
                err().println("job " + handle.id() + " is queued, but no worker serves queue " + handle.queue()
                        + "; start one with: ./reclaim" + homeOption(home) + " worker --queue " + handle.queue()
                        + (job instanceof BatchJob ? " --slurm" : ""));
            }
            return ExitCodes.OK;
        }
        JobStatus status = reclaim.jobs().status(handle.id());
        if (consoleOutput) {
            err().print(Text.withNewline(reclaim.jobs().output(handle.id())));
        }
        if (status == JobStatus.FINISHED) {
            err().println("job " + handle.id() + " " + status);
            return ExitCodes.OK;
        }
        err().println(JobDescriptions.ended(reclaim, handle.id(), status));
        return ExitCodes.FAILED;
    }
}
