package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Problems;
import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupBusyException;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.cleanup.CleanupService;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.cleanup.Forecast;
import dev.reclaim.cleanup.RunOrigin;
import dev.reclaim.delete.Sleeper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code reclaim cleanup ...}: the Cleanup Service, once or as a service. */
@Command(name = "cleanup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deletes archived tasks older than a threshold with their models, artifacts and debug samples.",
                "Drafts only unless --force-delete; PUBLISHED tasks never. Each task is re-checked at deletion: one "
                        + "unarchived, modified or restarted since selection is kept.",
                "Settings: defaults < HOME/reclaim.properties or reclaim.yaml < RECLAIM_CLEANUP_<SETTING> < flags.",
                "Exit codes: 0 ok, 1 some tasks failed, another run holds the lease, or the run lost it and stopped early; "
                        + "2 bad usage."},
        subcommands = CleanupHistoryCommand.class,
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim cleanup --dry-run                      # what would go, the rule and the bytes",
                "  reclaim cleanup --delete-threshold-days 7 --force-delete --project vision",
                "  reclaim cleanup --run-as-service --cleanup-period-days 0.5",
                "  reclaim cleanup --forecast --days 90             # what would go today, in 7 and in 90 days",
                "  reclaim cleanup history --limit 5"})
final class ServiceCleanupCommand extends HomeCommand {
    @Option(names = "--delete-threshold-days", paramLabel = "D", description = "Only tasks archived longer ago than D days (fractions allowed). Default: 30.")
    String threshold;
    @Option(names = "--force-delete", description = "Archived tasks of any status (never PUBLISHED), not only drafts.")
    Boolean forceDelete;
    @Option(names = "--dry-run", description = "List what would be deleted, with the rule and bytes; delete nothing.")
    Boolean dryRun;
    @Option(names = "--age-basis", paramLabel = "B", description = "archived_at (default) or status_changed.")
    String ageBasis;
    @Option(names = "--project", paramLabel = "P", description = "Only this project (repeatable).")
    List<String> projects;
    @Option(names = "--keep-last", paramLabel = "N", description = "Never delete the newest N archived tasks of each project.")
    String keepLast;
    @Option(names = "--page-size", paramLabel = "N", description = "Tasks per batch, 1..500. Default: 500.")
    String pageSize;
    @Option(names = "--parallelism", paramLabel = "N", description = "Marked batches whose objects are deleted at once, "
            + "in the background while the next batch is selected, 1..64. Default: 3.")
    String parallelism;
    @Option(names = "--run-as-service", description = "Repeat every period until stopped (Ctrl-C finishes the current batch).")
    Boolean runAsService;
    @Option(names = "--cleanup-period-days", paramLabel = "D", description = "Days between runs in service mode. Default: 1.")
    String period;
    @Option(names = "--forecast", description = "What these settings would free today, in 7 days and in --days days "
            + "(tasks, objects, bytes, per project), by dry runs of the same selection as a run; deletes nothing.")
    boolean forecast;
    @Option(names = "--days", paramLabel = "N", description = "With --forecast: the furthest look-ahead in days, 1..3650. "
            + "Default: 30.")
    Integer days;
    @Mixin
    OutputOption output;

    private Map<String, String> flags;

    @Override
    void validate() {
        flags = new LinkedHashMap<>();
        put(CleanupSettings.DELETE_THRESHOLD_DAYS, threshold);
        put(CleanupSettings.FORCE_DELETE, forceDelete);
        put(CleanupSettings.DRY_RUN, dryRun);
        put(CleanupSettings.AGE_BASIS, ageBasis);
        put(CleanupSettings.PROJECTS, projects == null ? null : String.join(",", projects));
        put(CleanupSettings.KEEP_LAST, keepLast);
        put(CleanupSettings.PAGE_SIZE, pageSize);
        put(CleanupSettings.PARALLELISM, parallelism);
        put(CleanupSettings.RUN_AS_SERVICE, runAsService);
        put(CleanupSettings.CLEANUP_PERIOD_IN_DAYS, period);
        CleanupSettings.defaults().with(flags, "command line");
        if (days != null && !forecast) {
            throw new InvalidArgumentException("--days goes with --forecast: reclaim cleanup --forecast --days " + days);
        }
        if (days != null && (days < 1 || days > Forecast.MAX_DAYS)) {
            throw new InvalidArgumentException("--days must be between 1 and " + Forecast.MAX_DAYS + ", got " + days);
        }
        if (forecast && Boolean.TRUE.equals(runAsService)) {
            throw new InvalidArgumentException("--forecast looks ahead once; drop --run-as-service");
        }
        // Every layer is checked before the stores are opened, so a bad config file changes nothing.
        settings = CleanupConfig.load(root().home().dir(), root().environment(), flags);
    }

    private CleanupSettings settings;

    private void put(String key, Object value) {
        if (value != null) {
            flags.put(key, value.toString());
        }
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        if (forecast) {
            return printForecast(reclaim);
        }
        Progress progress = new Progress(err(), System.console() != null, settings.dryRun() && !output.json() ? out() : null);
        if (!settings.runAsService()) {
            try {
                CleanupRun run = reclaim.cleanup().runOnce(settings,
                        new RunOrigin(RunOrigin.Trigger.CLI, System.getProperty("user.name")), null, progress);
                progress.done();
                print(run);
                return run.failed() > 0 || run.lostLease() ? ExitCodes.FAILED : ExitCodes.OK;
            } catch (CleanupBusyException e) {
                err().println(e.getMessage());
                return ExitCodes.FAILED;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            reclaim.cleanup().requestStop();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "reclaim-cleanup-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            err().println("cleanup service started: every " + settings.cleanupPeriodInDays() + " day(s), threshold "
                    + settings.deleteThresholdDays() + " day(s)" + (settings.dryRun() ? ", dry run" : "") + "; Ctrl-C stops it");
            reclaim.cleanup().runAsService(settings, null, progress, Sleeper.REAL, new ServiceLog(this, progress));
            err().println("cleanup service stopped");
            return ExitCodes.OK;
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the latch released above
            }
        }
    }

    private int printForecast(Reclaim reclaim) {
        int furthest = days == null ? 30 : days;
        List<Integer> horizons = new ArrayList<>(new TreeSet<>(List.of(0, Math.min(7, furthest), furthest)));
        Forecast f;
        try {
            f = reclaim.cleanup().forecast(settings, horizons);
        } catch (CleanupBusyException e) {
            err().println(e.getMessage());
            return ExitCodes.FAILED;
        }
        if (output.json()) {
            OutputOption.printJson(out(), f);
            return ExitCodes.OK;
        }
        PrintWriter o = out();
        o.printf("forecast with the current settings (threshold %s days, %s), if nothing else changes:%n",
                settings.toMap().get(CleanupSettings.DELETE_THRESHOLD_DAYS),
                settings.forceDelete() ? "archived tasks of any status but PUBLISHED" : "archived drafts only");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"WHEN", "TASKS", "OBJECTS", "FREES", "KEPT"});
        for (Forecast.Horizon h : f.horizons()) {
            rows.add(new String[] {when(h.days()), Text.count(h.tasks()), Text.count(h.objects()), Text.bytes(h.bytes()),
                    Text.count(h.skipped())});
        }
        Table.print(rows, o);
        Forecast.Horizon last = f.horizons().get(f.horizons().size() - 1);
        if (!last.projects().isEmpty()) {
            o.println();
            List<String[]> byProject = new ArrayList<>();
            List<String> header = new ArrayList<>(List.of("PROJECT"));
            f.horizons().forEach(h -> header.add(when(h.days()).toUpperCase(Locale.ROOT)));
            byProject.add(header.toArray(String[]::new));
            for (Forecast.ProjectTotal p : last.projects()) {
                List<String> row = new ArrayList<>(List.of(p.project().isEmpty() ? "-" : p.project()));
                for (Forecast.Horizon h : f.horizons()) {
                    long bytes = h.projects().stream().filter(q -> q.project().equals(p.project()))
                            .mapToLong(Forecast.ProjectTotal::bytes).sum();
                    row.add(Text.bytes(bytes));
                }
                byProject.add(row.toArray(String[]::new));
            }
            Table.print(byProject, o);
        }
        return ExitCodes.OK;
    }

    private static String when(int days) {
        return days == 0 ? "today" : "in " + days + " day" + (days == 1 ? "" : "s");
    }

    void print(CleanupRun run) {
        if (output.json()) {
            OutputOption.printJson(out(), run);
            return;
        }
        PrintWriter o = out();
        for (CleanupRun.Item i : run.items()) {
            if (i.outcome() == CleanupRun.Outcome.SKIPPED || i.outcome() == CleanupRun.Outcome.FAILED) {
                o.printf("%s %s (%s): %s%n", i.outcome() == CleanupRun.Outcome.FAILED ? "failed " : "skipped", i.taskId(),
                        i.name(), i.rule());
            } else if (!run.dryRun()) {
                o.printf("deleted %s (%s, %s): %s%n", i.taskId(), i.name(), Text.bytes(i.bytes()), i.rule());
            }
        }
        o.printf("%s: %s candidate(s), %s %s, %s skipped, %s failed; %s object(s), %s %s; took %s%n",
                run.dryRun() ? "dry run" : "cleanup", Text.count(run.candidates()), Text.count(run.deleted()),
                run.dryRun() ? "would be deleted" : "deleted", Text.count(run.skipped()), Text.count(run.failed()),
                Text.count(run.objects()),
                Text.bytes(run.bytes()), run.dryRun() ? "would be freed" : "freed", Text.elapsed(run.duration()));
        if (run.resumed().tasks() > 0) {
            o.printf("also finished %s deletion(s) an earlier run left unfinished: %s object(s), %s freed%n",
                    Text.count(run.resumed().tasks()), Text.count(run.resumed().objects()), Text.bytes(run.resumed().bytes()));
        }
        if (run.lostLease()) {
            err().println("the run stopped early: " + run.leaseLost() + "; it marked no task after that, and the tasks "
                    + "it had marked were deleted; the run that holds the lease, or the next one, deletes the rest");
        }
    }

    /** Prints each service run and when the next one starts. */
    private record ServiceLog(ServiceCleanupCommand cmd, Progress progress) implements CleanupService.ServiceObserver {
        @Override
        public void ran(CleanupRun run, Instant next) {
            progress.done();
            cmd.print(run);
            cmd.err().println("next run at " + next);
        }

        @Override
        public void busy(CleanupBusyException e, Instant next) {
            cmd.err().println(e.getMessage() + "; next try at " + next);
        }

        @Override
        public void failed(RuntimeException e, Instant next) {
            cmd.err().println("cleanup run failed: " + Problems.describe(e) + "; next try at " + next);
        }
    }

    /**
     * Progress of a long run: on a terminal, one line rewritten in place (tasks and bytes); off a
     * terminal, a log line every 5 seconds. A dry run in text mode also lists each task as it goes.
     */
    static final class Progress implements CleanupListener {
        private final PrintWriter err;
        private final boolean terminal;
        private final PrintWriter plan;
        private long tasks;
        private long bytes;
        private long last = System.nanoTime();
        private boolean drawn;

        Progress(PrintWriter err, boolean terminal, PrintWriter plan) {
            this.err = err;
            this.terminal = terminal;
            this.plan = plan;
        }

        @Override
        public synchronized void taskDone(CleanupRun.Item item) {
            tasks++;
            bytes += item.bytes();
            if (plan != null) {
                plan.printf("%s %s (%s, project %s): %s, frees %s%n",
                        item.outcome() == CleanupRun.Outcome.WOULD_DELETE ? "would delete" : "would skip  ",
                        item.taskId(), item.name(), item.project(), item.rule(), Text.bytes(item.bytes()));
            }
            long now = System.nanoTime();
            long every = terminal ? 200_000_000L : 5_000_000_000L;
            if (now - last >= every) {
                last = now;
                if (terminal) {
                    err.printf("\r  %s task(s), %s %s", Text.count(tasks), Text.bytes(bytes), "freed");
                    err.flush();
                    drawn = true;
                } else {
                    err.printf("cleanup: %s task(s) done, %s freed so far%n", Text.count(tasks), Text.bytes(bytes));
                }
            }
        }

        synchronized void done() {
            if (drawn) {
                err.println();
                drawn = false;
            }
            tasks = 0;
            bytes = 0;
        }
    }
}
