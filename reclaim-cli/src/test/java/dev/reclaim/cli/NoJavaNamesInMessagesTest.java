package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No message the CLI prints names a Java class, an exception type or a Java type: many bad
 * inputs, each answered with words a person can act on (and no stack trace).
 */
class NoJavaNamesInMessagesTest {
    /** Qualified class names, exception types, SDK-style names, code in backticks, Java type words. */
    static final List<Pattern> JAVA_NAMES = List.of(
            Pattern.compile("\\b(java|javax|com|org|dev|sun|jdk|software)\\.[a-z]+\\.[A-Za-z.]+"),
            Pattern.compile("[A-Za-z]*Exception\\b"),
            Pattern.compile("\\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Provider|Constraints|Config)\\b"),
            Pattern.compile("`"),
            Pattern.compile("\\bis not an? (int|long|double|float|boolean|Integer|Long|Double)\\b"),
            Pattern.compile("\\tat "));

    @TempDir
    Path tmp;
    Cli cli;
    String job;
    final List<String> violations = new ArrayList<>();

    @BeforeEach
    void aHomeWithAFinishedJob() {
        cli = new Cli(tmp.resolve("home"));
        job = cli.submitFinished("echo hi");
    }

    @AfterEach
    void noViolations() {
        assertThat(violations).isEmpty();
    }

    private void check(String what, int exitCode, String text) {
        if (exitCode == 0) {
            violations.add(what + "\n    -> exit 0: " + text);
            return;
        }
        for (Pattern p : JAVA_NAMES) {
            if (p.matcher(text).find()) {
                violations.add(what + "\n    -> " + text.strip());
                return;
            }
        }
    }

    private void check(Cli on, String... args) {
        Run r = on.run(args);
        check(String.join(" ", args), r.exitCode(), r.out() + r.err());
    }

    private void checkRaw(String... args) {
        Run r = cli.runRaw(args);
        check(String.join(" ", args), r.exitCode(), r.out() + r.err());
    }

    @Test
    void badValuesForOptionsAreExplainedWithoutJavaNames() {
        check(cli, "tasks", "list", "--page-size", "abc");
        check(cli, "tasks", "list", "--page-size", "99999999999999");
        check(cli, "tasks", "list", "--page", "1.5");
        check(cli, "worker", "--slots", "many");
        check(cli, "server", "--port", "http");
        check(cli, "cleanup", "history", "--limit", "1e3");
        check(cli, "jobs", "wait", job, "--timeout", "forever");
        check(cli, "jobs", "list", "--state", "weird");
        check(cli, "jobs", "list", "--start-time", "yesterday");
        check(cli, "jobs", "list", "--output", "xml");
        check(cli, "cleanup", "--delete-threshold-days", "NaN", "--dry-run");
        check(cli, "cleanup", "--page-size", "1000000000000", "--dry-run");
        check(cli, "cleanup", "--s3-path-style", "maybe", "--dry-run");
        check(cli, "tasks", "create", "--name", "x", "--status", "bogus");
        check(cli, "tasks", "artifacts", "add", job, "--kind", "weird", "--name", "a", "/etc/hostname");
        check(cli, "tasks", "params", "set", job, "nokey");
        check(cli, "tokens", "create", "--name", "t", "--role", "god");
        check(cli, "tokens", "revoke", "nope");
    }

    @Test
    void badHomesStoresAndFilesAreExplainedWithoutJavaNames() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        checkRaw("--home", file.resolve("sub").toString(), "tasks", "list");
        checkRaw("--home", "/proc/self/no/such/home", "tasks", "list");
        Path notADb = Files.createDirectories(tmp.resolve("garbage-home"));
        Files.writeString(notADb.resolve("reclaim.db"), "not a database");
        checkRaw("--home", notADb.toString(), "tasks", "list");
        Path dbIsAFolder = Files.createDirectories(tmp.resolve("folder-home").resolve("reclaim.db"));
        checkRaw("--home", dbIsAFolder.getParent().toString(), "tasks", "list");
        check(cli, "--db", "jdbc:sqlite:" + tmp, "tasks", "list");
        check(cli, "--db", "jdbc:mysql://localhost/x", "tasks", "list");
        check(cli, "--db", "jdbc:postgresql://127.0.0.1:1/x", "tasks", "list");
        check(cli, "--artifacts", "s3://", "tasks", "list");
        check(cli, "--artifacts", "s3://bucket", "--s3-endpoint", "::", "tasks", "list");
        // Whatever credentials this machine has: none (the SDK's provider chain explains itself at length) or some.
        check(cli, "--artifacts", "s3://bucket-x", "--s3-endpoint", "http://127.0.0.1:1", "tasks", "list");
        check(cli, "tasks", "artifacts", "add", job, "--kind", "model", "--name", "m", tmp.toString());
        check(cli, "tasks", "artifacts", "add", job, "--kind", "model", "--name", "m", tmp.resolve("missing").toString());
        Files.writeString(cli.home().resolve("reclaim.properties"), "delete_threshold_days=\\uZZZZ\n");
        check(cli, "cleanup", "--dry-run");
        Files.delete(cli.home().resolve("reclaim.properties"));
        Files.writeString(cli.home().resolve("reclaim.yaml"), "delete_threshold_days: [1\n");
        check(cli, "cleanup", "--dry-run");
    }

    @Command(name = "boom")
    static final class Throwing implements Callable<Integer> {
        private final RuntimeException e;

        Throwing(RuntimeException e) {
            this.e = e;
        }

        @Override
        public Integer call() {
            throw e;
        }
    }

    @Test
    void unexpectedErrorsAreDescribedInWordsWithAPointerToTheDebugVariable() {
        for (RuntimeException e : List.of(new IllegalStateException("the index is stale"), new NullPointerException(),
                new UncheckedIOException(new NoSuchFileException("/data/x")), new UncheckedIOException("cannot write the log",
                        new AccessDeniedException("/data/log")), new IllegalArgumentException(
                        "java.lang.NumberFormatException: For input string: \"x\""))) {
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new Throwing(e));
            cl.setExecutionExceptionHandler(new ErrorHandlers.Failure(Map.of()));
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute();
            check(e.getClass().getSimpleName(), code, err.toString());
            if (!(e instanceof UncheckedIOException)) {
                assertThat(err.toString()).as("a bug says how to see where it happened").contains("RECLAIM_DEBUG");
            }
        }
    }
}
