package dev.reclaim.bench;

import dev.reclaim.Reclaim;
import dev.reclaim.imports.ImportListener;
import dev.reclaim.imports.ImportOptions;
import dev.reclaim.imports.ImportReport;
import dev.reclaim.imports.Layout;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.store.ArtifactRoots;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.worker.WorkerSettings;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Issue 18's import benchmark: a ClearML output tree of N objects (tasks of F objects each, in 10
 * projects, split over artifacts/, models/ and metrics/) is imported on the embedded default
 * (SQLite + folder), against a plain walk of the same tree that reads every file's attributes (what
 * {@code find -printf '%s'} does), measured in the same run, warm. Then the import runs again
 * (idempotent: nothing to add), and the heap's peak is reported.
 */
final class ImportBench implements Bench {
    @Override
    public String description() {
        return "reclaim import of a ClearML tree of N objects on the embedded default vs a plain walk of the tree; run "
                + "with -Xmx256m (--objects 1000000 --per-task 1000)";
    }

    @Override
    public void run(Options o) throws Exception {
        Heap.start();
        int objects = o.integer("objects", 1_000_000);
        int perTask = o.integer("per-task", 1000);
        int batch = o.integer("batch", ImportOptions.DEFAULT_BATCH);
        Path dir = o.dir("reclaim-bench-import");
        Path tree = dir.resolve("clearml");
        Path home = dir.resolve("home");
        try {
            long t = System.nanoTime();
            // --keep yes keeps the tree for the next run with the same --dir (the home is made afresh each time)
            Path built = dir.resolve("built-" + objects + "-" + perTask);
            Scratch.delete(home);
            Files.deleteIfExists(tree.resolve(".reclaim-root")); // the kept tree's marker names the deleted home's store
            if (!Files.exists(built)) {
                Scratch.delete(tree);
                build(tree, objects, perTask);
                Files.createFile(built);
            }
            System.out.printf("import: a ClearML tree of %,d objects (%,d tasks of %,d) built in %.1f s%n", objects,
                    (objects + perTask - 1) / perTask, perTask, (System.nanoTime() - t) / 1e9);
            long[] walked = new long[2];
            long walkStart = System.nanoTime();
            walk(tree, walked);
            double walk = (System.nanoTime() - walkStart) / 1e9;
            System.out.printf("  baseline, plain walk reading each file's attributes: %,d files, %,d bytes in %.2f s "
                    + "(%,.0f objects/s)%n", walked[0], walked[1], walk, walked[0] / walk);
            WorkerSettings workers = WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE));
            try (Reclaim r = Embedded.open(home, workers, false); FileArtifactStore store = FileArtifactStore.open(tree)) {
                ArtifactRoots.adopt(r.taskStore(), "clearml", store, Clock.systemUTC());
            }
            ImportOptions options = ImportOptions.of(Layout.parse("clearml")).withBatchSize(batch);
            for (String run : new String[] {"import", "re-import (nothing new)"}) {
                try (Reclaim r = Reclaim.builder().taskStore(JdbcTaskStore.openSqlite(home.resolve("reclaim.db")))
                        .artifactStore(FileArtifactStore.open(home.resolve("artifacts")))
                        .store("clearml", FileArtifactStore.open(tree)).stagingRoot(home.resolve("staging"))
                        .workerSettings(workers).build()) {
                    long[] surveyEnd = {0};
                    long start = System.nanoTime();
                    ImportReport report = r.imports().run("clearml", options, new ImportListener() {
                        @Override
                        public void committed(long done, long total, long registered) {
                            if (surveyEnd[0] == 0) {
                                surveyEnd[0] = System.nanoTime();
                            }
                        }
                    });
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double survey = surveyEnd[0] == 0 ? 0 : (surveyEnd[0] - start) / 1e9;
                    long handled = report.objects() + report.alreadyRegistered();
                    System.out.printf("  %s: %,d tasks created, %,d objects registered (%,d registered already) in %.2f s: "
                            + "%,.0f objects/s (survey %.2f s); %.1fx the plain walk's time%n", run, report.tasksCreated(),
                            report.objects(), report.alreadyRegistered(), seconds, handled / seconds, survey, seconds / walk);
                }
            }
            System.out.printf("  heap peak %d MB (max %d MB)%n", Heap.peakUsedMb(), Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            if (o.string("keep", "no").equals("no")) {
                Scratch.delete(dir);
            }
        }
    }

    /** {@code p<k>/train-<t>.<32 hex>/{artifacts,models,metrics}/d<n>/f-<j>.bin}: small files of 1-64 bytes. */
    private static void build(Path tree, int objects, int perTask) throws IOException {
        String[] kinds = {"artifacts", "models", "metrics"};
        byte[] bytes = new byte[64];
        Set<Path> made = new HashSet<>();
        for (int i = 0; i < objects; i++) {
            int task = i / perTask;
            int j = i % perTask;
            Path folder = tree.resolve("p" + task % 10).resolve(String.format("train-%d.%032x", task, task))
                    .resolve(kinds[j % 3]).resolve("d" + j / 300);
            if (made.add(folder)) {
                Files.createDirectories(folder);
            }
            Files.write(folder.resolve("f-" + j + ".bin"), Arrays.copyOf(bytes, 1 + j % 64));
            if (j == perTask - 1) {
                made.clear();
            }
        }
    }

    private static void walk(Path tree, long[] counts) throws IOException {
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                counts[0]++;
                counts[1] += attrs.size();
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
