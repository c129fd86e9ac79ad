package dev.reclaim.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Runs the CLI in-process on one home, capturing stdout, stderr and the exit code. */
final class Cli {
    private final Path home;
    private final Map<String, String> env;

    Cli(Path home) {
        this.home = home;
        Map<String, String> e = new HashMap<>(System.getenv());
        e.remove(ReclaimHome.ENV);
        e.keySet().removeIf(k -> k.startsWith("RECLAIM_"));
        this.env = e;
    }

    private Cli(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    /** The same home with these environment variables added. */
    Cli withEnv(Map<String, String> more) {
        Map<String, String> e = new HashMap<>(env);
        e.putAll(more);
        return new Cli(home, e);
    }

    Path home() {
        return home;
    }

    Path artifacts() {
        return home.resolve("artifacts");
    }

    Path staging() {
        return home.resolve("staging");
    }

    Map<String, String> env() {
        return env;
    }

    /** Runs {@code reclaim --home HOME args...}. */
    Run run(String... args) {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        return runRaw(all.toArray(String[]::new));
    }

    /** Runs {@code reclaim args...} with exactly these arguments. */
    Run runRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(env, home.getParent(), new PrintWriter(out, true), new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Submits a command that waits for its end, keeping its artifacts; returns the job id. */
    String submitFinished(String script) {
        Run r = run("jobs", "submit", "--no-auto-cleanup", "--", "sh", "-c", script);
        if (r.exitCode() != 0) {
            throw new AssertionError("submit failed: " + r);
        }
        return r.firstLine();
    }

    /** Every file under the artifact store root (relative paths), but its identity marker. */
    List<String> artifactFiles() {
        return filesUnder(artifacts()).stream().filter(f -> !f.equals(".reclaim-root")).toList();
    }

    static List<String> filesUnder(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Name and content hash of every file under the home: equal snapshots mean nothing changed. */
    Map<String, String> snapshot() {
        Map<String, String> files = new TreeMap<>();
        for (String f : filesUnder(home)) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(home.resolve(f)));
                files.put(f, HexFormat.of().formatHex(digest));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return files;
    }

    /** One run's outcome. */
    record Run(int exitCode, String out, String err) {
        String firstLine() {
            return out.lines().findFirst().orElse("");
        }

        String trimmedOut() {
            return out.trim();
        }
    }
}
