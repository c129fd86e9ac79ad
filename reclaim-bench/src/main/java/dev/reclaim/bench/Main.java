package dev.reclaim.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Benchmark harness entry point. Each benchmark measures Reclaim and its baseline in the same
 * run and prints figures and ratios; none of them is a test.
 *
 * <pre>java -jar reclaim-bench/target/reclaim-bench.jar NAME [--key value]...</pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Bench> benches = new TreeMap<>();
        benches.put("jobs", new JobThroughputBench());
        benches.put("delete", new DeleteBench());
        benches.put("catalog", new CatalogScaleBench());
        benches.put("cleanup", new CleanupBench());
        benches.put("s3delete", new S3DeleteBench());
        benches.put("http", new HttpLoadBench());
        benches.put("pgcleanup", new PgCleanupBench());
        benches.put("du", new DuBench());
        benches.put("import", new ImportBench());
        benches.put("rules", new RulesBench());
        benches.put("s3cleanup", new S3CleanupBench());
        if (args.length == 0 || !benches.containsKey(args[0])) {
            System.err.println("usage: reclaim-bench NAME [--key value]...   where NAME is one of " + benches.keySet());
            benches.forEach((n, b) -> System.err.println("  " + n + ": " + b.description()));
            System.exit(2);
        }
        Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length));
        benches.get(args[0]).run(options);
    }
}
