package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.slurm.SlurmExecutor;
import dev.reclaim.worker.ExternalJobMonitor;
import dev.reclaim.worker.WorkerPool;
import dev.reclaim.worker.WorkerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code reclaim worker [--slots N] [--queue Q]... [--heartbeat D] [--lease-timeout D]}: runs queued
 * jobs until stopped. Ctrl-C or SIGTERM stops it cleanly: no new claims, running jobs get the
 * shutdown grace to end, the rest are stopped and put back on their queue.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs queued jobs until stopped (Ctrl-C or SIGTERM).",
                "On stop, running jobs get the shutdown grace to end; the rest are stopped and put back on their queue.",
                "While it runs it heartbeats; if it dies, its jobs show UNDETERMINED once their lease times out."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim worker", "  reclaim --home /data/reclaim worker --slots 4 --queue gpu --queue default",
                "  reclaim worker --services"})
final class WorkerCommand extends HomeCommand {
    @Option(names = "--slots", paramLabel = "N", defaultValue = "" + WorkerSettings.DEFAULT_SLOTS,
            description = "Jobs run at once (1-256). Default: ${DEFAULT-VALUE}.")
    int slots;

    @Option(names = "--queue", paramLabel = "Q", description = "Queue to serve (repeatable). Default: default.")
    List<String> queues = new ArrayList<>();

    @Option(names = "--services", description = "Services mode: serve the services queue, where the Cleanup Service "
            + "task runs as a long-running service (reclaim tasks enqueue ID). With no --queue, only that queue.")
    boolean services;

    @Option(names = "--slurm", description = "Slurm mode: instead of running jobs here, submit the batch jobs of the "
            + "queues (default: slurm and the queues the home's config gives to Slurm) to Slurm and follow them: one squeue call per poll for all of them, outputs "
            + "registered when they end. Needs sbatch, squeue, scontrol and scancel on the PATH and a staging folder "
            + "the Slurm nodes share.")
    boolean slurm;

    @Option(names = "--heartbeat", paramLabel = "DURATION", defaultValue = "5s",
            converter = Converters.DurationConverter.class,
            description = "How often the worker renews its registration and its jobs' leases. Default: ${DEFAULT-VALUE}.")
    Duration heartbeat;

    @Option(names = "--lease-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = Converters.DurationConverter.class,
            description = "A running job not renewed for this long shows UNDETERMINED; more than twice the heartbeat. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration leaseTimeout;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "10s",
            converter = Converters.DurationConverter.class,
            description = "On stop, how long running jobs may finish before they are stopped and requeued. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration shutdownGrace;

    private final StopSignal stop = new StopSignal();
    private WorkerSettings settings;

    @Override
    void validate() {
        LinkedHashSet<String> served = new LinkedHashSet<>();
        List<String> wanted = new ArrayList<>(queues);
        if (services) {
            wanted.add(ServiceTask.QUEUE);
        }
        List<String> byDefault = List.of(ComputeContext.DEFAULT_QUEUE);
        if (slurm) {
            // queue slurm, and every queue the config gives to Slurm
            LinkedHashSet<String> slurmQueues = new LinkedHashSet<>(List.of(SlurmExecutor.NAME));
            slurmQueues.addAll(QueueConfig.queuesOf(root().home().dir(), SlurmExecutor.NAME));
            byDefault = List.copyOf(slurmQueues);
        }
        for (String q : wanted.isEmpty() ? byDefault : wanted) {
            served.add(new ComputeContext(q, null).queue()); // validates the name
        }
        settings = new WorkerSettings(slots, served, heartbeat, leaseTimeout, WorkerSettings.DEFAULT_POLL, shutdownGrace);
    }

    @Override
    WorkerSettings workerSettings() {
        return settings;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        stop.install("reclaim-worker-shutdown", settings.shutdownGrace().plusSeconds(40));
        try {
            if (slurm) {
                return followSlurm(reclaim, home);
            }
            WorkerPool pool = reclaim.startWorkers(settings);
            out().println(pool.workerId() + " started: queues " + String.join(", ", queues(settings))
                    + ", " + settings.slots() + " slot(s), heartbeat " + Text.duration(settings.heartbeatInterval())
                    + ", lease timeout " + Text.duration(settings.leaseTimeout()) + ", home " + home.dir()
                    + "; stop with Ctrl-C");
            out().flush();
            stop.await();
            out().println(pool.workerId() + " stopping: running jobs get "
                    + Text.duration(settings.shutdownGrace()) + " to end, the rest go back to their queue");
            out().flush();
            reclaim.stopWorkers(pool);
            out().println(pool.workerId() + " stopped");
            out().flush();
            return ExitCodes.OK;
        } finally {
            stop.uninstall();
        }
    }

    private int followSlurm(Reclaim reclaim, ReclaimHome home) {
        ExternalJobMonitor monitor = reclaim.workers().startMonitor(SlurmExecutor.NAME, settings.queues());
        out().println(monitor.monitorId() + " started: Slurm jobs of queues " + String.join(", ", queues(settings))
                + ", home " + home.dir() + "; stop with Ctrl-C (the jobs keep running in Slurm)");
        out().flush();
        stop.await();
        monitor.close();
        out().println(monitor.monitorId() + " stopped");
        out().flush();
        return ExitCodes.OK;
    }

    @Override
    void closed() {
        stop.closed();
    }

    /** Asks a running worker to stop as Ctrl-C does (for embedding and tests). */
    void requestStop() {
        stop.request();
    }


    private static List<String> queues(WorkerSettings s) {
        return s.queues().stream().sorted().toList();
    }
}
