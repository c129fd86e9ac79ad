package dev.reclaim.store.fs;

import dev.reclaim.store.DeleteOutcome;
import dev.reclaim.store.DeleteOutcome.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A standalone micro-check, not a unit test: builds two identical trees of 10,000 folders x 10 small
 * files, deletes one with {@code rm -rf} and the other with {@link FileArtifactStore#deleteBatch},
 * and prints both times and their ratio (target: at most 1.5). Run after
 * {@code mvn -q -o -pl reclaim-testkit test-compile}:
 * <pre>
 * java -cp reclaim-testkit/target/test-classes:reclaim-testkit/target/classes:reclaim-core/target/classes:$(cat cp.txt) \
 *     dev.reclaim.store.fs.DeleteSpeedCheck [workDir=/tmp] [threads...]
 * </pre>
 * Everything it creates is under a fresh folder in {@code workDir} and is removed at the end.
 */
public final class DeleteSpeedCheck {
    private static final int TOP = 100;
    private static final int PER_TOP = 100;
    private static final int FILES = 10;
    private static final byte[] CONTENT = new byte[100];

    private DeleteSpeedCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "/tmp"), "reclaim-delete-speed-");
        List<Integer> threadCounts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            threadCounts.add(Integer.parseInt(args[i]));
        }
        if (threadCounts.isEmpty()) {
            threadCounts.add(FileArtifactStore.DEFAULT_DELETE_THREADS);
        }
        List<String> keys = keys();
        System.out.printf("tree: %,d folders x %d files = %,d files (%d bytes each), %d cores, in %s%n",
                TOP * PER_TOP, FILES, keys.size(), CONTENT.length, Runtime.getRuntime().availableProcessors(), work);
        try {
            warmUp(work.resolve("warm-up"));
            for (int threads : threadCounts) {
                Path forRm = work.resolve("rm");
                Path forStore = work.resolve("store");
                build(forRm, keys);
                build(forStore, keys);
                run("sync");

                long rmNanos = time(() -> run("rm", "-rf", forRm.toString()));
                long ourNanos;
                Map<Status, Long> counts;
                try (FileArtifactStore store = FileArtifactStore.builder(forStore).deleteThreads(threads).open()) {
                    List<DeleteOutcome>[] result = new List[1];
                    ourNanos = time(() -> result[0] = store.deleteBatch(keys));
                    counts = result[0].stream().collect(Collectors.groupingBy(DeleteOutcome::status, Collectors.counting()));
                }
                boolean empty;
                try (var left = Files.list(forStore)) {
                    empty = left.findAny().isEmpty();
                }
                System.out.printf("threads=%d  rm -rf: %,d ms  deleteBatch: %,d ms  ratio: %.2f  outcomes: %s  root empty: %s%n",
                        threads, TimeUnit.NANOSECONDS.toMillis(rmNanos), TimeUnit.NANOSECONDS.toMillis(ourNanos),
                        (double) ourNanos / rmNanos, counts, empty);
                run("rm", "-rf", forStore.toString());
            }
        } finally {
            run("rm", "-rf", work.toString());
        }
    }

    private static List<String> keys() {
        List<String> keys = new ArrayList<>(TOP * PER_TOP * FILES);
        for (int t = 0; t < TOP; t++) {
            for (int f = 0; f < PER_TOP; f++) {
                for (int i = 0; i < FILES; i++) {
                    keys.add(String.format("job-%03d/task-%03d/out-%d.txt", t, f, i));
                }
            }
        }
        return keys;
    }

    private static void build(Path root, List<String> keys) throws IOException {
        Files.createDirectories(root);
        for (int t = 0; t < TOP; t++) {
            for (int f = 0; f < PER_TOP; f++) {
                Files.createDirectories(root.resolve(String.format("job-%03d/task-%03d", t, f)));
            }
        }
        for (String key : keys) {
            Files.write(root.resolve(key), CONTENT);
        }
    }

    /** A small batch first, so the timed one runs compiled code, as in a long-running server. */
    private static void warmUp(Path root) throws IOException {
        List<String> keys = keys().subList(0, 5_000);
        for (int round = 0; round < 3; round++) {
            build(root, List.of());
            for (String key : keys) {
                Files.createDirectories(root.resolve(key).getParent());
                Files.write(root.resolve(key), CONTENT);
            }
            try (FileArtifactStore store = FileArtifactStore.open(root)) {
                store.deleteBatch(keys);
            }
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private static long time(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + exit);
        }
    }
}
