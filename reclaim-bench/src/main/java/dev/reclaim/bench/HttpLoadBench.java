package dev.reclaim.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.reclaim.Reclaim;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.worker.WorkerSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 6's load benchmark: task-list queries against {@code reclaim server} on the embedded
 * default holding a catalog of N tasks. The server runs in its own JVM ({@link ServerProcess});
 * this JVM is the load generator: C closed-loop clients over loopback, each on one keep-alive
 * connection ({@link KeepAliveClient}), a warm-up, then a timed
 * window; it reports requests/s and latency percentiles. The mix is what the web UI and scripts
 * send: a project's newest tasks, archived tasks oldest first, a status filter with a projection,
 * and the next keyset page after each of those.
 */
final class HttpLoadBench implements Bench {
    private static final Pattern CURSOR = Pattern.compile("\"next_cursor\"\\s*:\\s*\"([^\"]+)\"");

    @Override
    public String description() {
        return "task-list requests/s and p99 against reclaim server on N tasks (--tasks 100000 --clients 16 --seconds 20)";
    }

    @Override
    public void run(Options o) throws Exception {
        int taskCount = o.integer("tasks", 100_000);
        int clients = o.integer("clients", 16);
        int seconds = o.integer("seconds", 20);
        Path dir = o.dir("reclaim-bench-http");
        Path home = dir.resolve("home");
        Process server = null;
        try {
            long t0 = System.nanoTime();
            build(home, taskCount);
            System.out.printf("http: %d tasks built in %.1f s; server in its own JVM, %d clients, %d s measured%n",
                    taskCount, (System.nanoTime() - t0) / 1e9, clients, seconds);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
            String extra = System.getenv("RECLAIM_BENCH_SERVER_JVM_ARGS"); // e.g. a flight recording, for profiling
            if (extra != null && !extra.isBlank()) {
                command.addAll(List.of(extra.trim().split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerProcess.class.getName(), home.toString()));
            server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("PORT ")) {
                line = out.readLine(); // log lines before the server is up
            }
            if (line == null) {
                throw new IllegalStateException("the server process ended before it listened");
            }
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe empty so the server never blocks on its output
                    }
                } catch (IOException ignored) {
                    // the server ended
                }
            }, "server-output");
            drain.setDaemon(true);
            drain.start();
            int port = Integer.parseInt(line.substring(5).trim());
            String base = "/api/v1/tasks?";
            load(port, base, clients, Duration.ofSeconds(Math.max(3, seconds / 4))); // warm-up
            Duration serverCpu0 = cpu(server.toHandle());
            long clientCpu0 = clientCpuNanos();
            long[] latencies = load(port, base, clients, Duration.ofSeconds(seconds));
            double serverCpuMs = (cpu(server.toHandle()).minus(serverCpu0)).toNanos() / 1e6;
            double clientCpuMs = (clientCpuNanos() - clientCpu0) / 1e6;
            report(latencies, seconds);
            // Both processes share the machine's cores: CPU per request says where the time goes
            // even when other work on the machine moves requests/s.
            System.out.printf("  CPU per request: server %.2f ms, load generator %.2f ms (%d cores)%n",
                    serverCpuMs / latencies.length, clientCpuMs / latencies.length, Runtime.getRuntime().availableProcessors());
        } finally {
            if (server != null) {
                server.getOutputStream().close();
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            Scratch.delete(dir);
        }
    }

    private static void build(Path home, int n) {
        try (Reclaim r = Embedded.open(home, WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE)), false)) {
            Instant start = Instant.now().minus(Duration.ofDays(90));
            TaskStatus[] statuses = {TaskStatus.CREATED, TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.FAILED,
                    TaskStatus.PUBLISHED};
            List<Task> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Instant at = start.plusSeconds(i * 60L);
                Task.Builder b = Task.builder(Ids.next(at), "exp-" + i, at).project("p" + (i % 20))
                        .status(statuses[(i / 40) % statuses.length]).lastUpdateAt(at).statusChangedAt(at)
                        .tags(new TreeSet<>(Set.of(i % 3 == 0 ? "baseline" : "sweep")));
                if ((i / 20) % 2 == 0) { // independent of the project and the status, as in a real catalog
                    b.systemTags(new TreeSet<>(Set.of(Task.ARCHIVED))).archivedAt(at);
                }
                batch.add(b.build());
                if (batch.size() == 5000) {
                    r.taskStore().insertTasks(batch);
                    batch.clear();
                }
            }
            r.taskStore().insertTasks(batch);
            r.taskStore().refreshStatistics();
        }
    }

    /** Runs the clients for {@code window}; returns every latency in nanoseconds. */
    private static long[] load(int port, String base, int clients, Duration window) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + window.toNanos();
        List<Future<long[]>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int seed = c;
            results.add(pool.submit(() -> {
                try (KeepAliveClient http = new KeepAliveClient("127.0.0.1", port)) {
                    return client(http, base, end, new SplittableRandom(seed));
                }
            }));
        }
        List<long[]> all = new ArrayList<>();
        int total = 0;
        for (Future<long[]> f : results) {
            long[] l = f.get();
            all.add(l);
            total += l.length;
        }
        pool.shutdown();
        long[] merged = new long[total];
        int i = 0;
        for (long[] l : all) {
            System.arraycopy(l, 0, merged, i, l.length);
            i += l.length;
        }
        return merged;
    }

    private static long[] client(KeepAliveClient http, String base, long end, SplittableRandom random) throws Exception {
        long[] lat = new long[1 << 16];
        int n = 0;
        String next = null;
        while (System.nanoTime() < end) {
            String query;
            if (next != null) {
                query = next;
                next = null;
            } else {
                int p = random.nextInt(20);
                query = switch (random.nextInt(3)) {
                    case 0 -> "project=p" + p + "&order_by=-last_update&page_size=50";
                    case 1 -> "system_tag=archived&order_by=archived_at&page_size=50";
                    default -> "status=completed&project=p" + p + "&fields=id,name,status,last_update&page_size=50";
                };
            }
            long t = System.nanoTime();
            KeepAliveClient.Response r = http.get(base + query);
            long took = System.nanoTime() - t;
            if (r.status() != 200) {
                throw new IllegalStateException("HTTP " + r.status() + " for " + query + ": " + r.body());
            }
            if (!query.contains("cursor=")) {
                Matcher m = CURSOR.matcher(r.body());
                if (m.find()) {
                    next = query + "&cursor=" + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
                }
            }
            if (n == lat.length) {
                lat = Arrays.copyOf(lat, n * 2);
            }
            lat[n++] = took;
        }
        return Arrays.copyOf(lat, n);
    }

    private static Duration cpu(ProcessHandle p) {
        return p.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static long clientCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void report(long[] latencies, int seconds) {
        Arrays.sort(latencies);
        System.out.printf("  requests: %d in %d s = %.0f req/s (target >= 1,000)%n", latencies.length, seconds,
                latencies.length / (double) seconds);
        System.out.printf("  latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms (target < 100 ms), max %.1f ms%n",
                pct(latencies, 0.50), pct(latencies, 0.90), pct(latencies, 0.99), latencies[latencies.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
