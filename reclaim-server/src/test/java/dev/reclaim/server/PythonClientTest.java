package dev.reclaim.server;

import dev.reclaim.tokens.Role;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python client ({@code clients/python}) against a real server: a SQLite file and a local
 * artifact folder in a temporary home, real workers running real commands, an admin token. The
 * client's own unittest suite runs as a child process, told the server by {@code RECLAIM_URL} and
 * {@code RECLAIM_TOKEN}; this test fails with its output when any of its tests fails.
 *
 * <p>Without {@code python3} (3.10 or newer) the test is skipped, or fails when
 * {@code RECLAIM_REQUIRE_PYTHON=1} (CI sets it).
 */
class PythonClientTest {
    /** Longest the whole Python suite may take; it normally takes well under a minute. */
    private static final long SUITE_MINUTES = 10;
    private static final Pattern VERSION = Pattern.compile("Python (\\d+)\\.(\\d+)");
    private static final Pattern RAN = Pattern.compile("^Ran (\\d+) tests? in ", Pattern.MULTILINE);

    @TempDir
    Path home;
    @TempDir
    Path scratch;

    @Test
    void thePythonClientSuitePassesAgainstARealServer() throws Exception {
        Path root = repoRoot();
        requirePython();
        try (ServerFixture f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(2).build())) {
            String token = f.server.tokens().create("python-client-tests", Role.ADMIN).token();
            Path log = scratch.resolve("unittest.log");
            ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", "clients/python/tests", "-v")
                    .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("RECLAIM_URL", "http://127.0.0.1:" + f.server.port());
            env.put("RECLAIM_TOKEN", token);
            env.put("PYTHONPATH", root.resolve("clients/python").toString());
            env.put("RECLAIM_REQUIRE_SERVER", "1"); // the suite fails, never skips, without a server
            env.put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ folders in the source tree
            env.put("PYTHONUNBUFFERED", "1");
            Process p = pb.start();
            boolean ended = p.waitFor(SUITE_MINUTES, TimeUnit.MINUTES);
            if (!ended) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(output); // the suite's own report, in the Maven log
            assertThat(ended).as("the Python suite did not end within %d minutes; its output:%n%s", SUITE_MINUTES, output)
                    .isTrue();
            assertThat(p.exitValue()).as("python3 -m unittest failed; its output:%n%s", output).isZero();
            Matcher ran = RAN.matcher(output);
            assertThat(ran.find() && Integer.parseInt(ran.group(1)) > 0).as("the Python suite ran no test:%n%s", output).isTrue();
        }
    }

    /** The repository root: Maven runs tests in the module folder, one below it. */
    private static Path repoRoot() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(root.resolve("clients/python/tests")).as("the Python client's tests, from the module folder %s",
                Path.of("").toAbsolutePath()).isDirectory();
        return root;
    }

    /** python3 3.10 or newer, else a skip (or a failure with RECLAIM_REQUIRE_PYTHON=1). */
    private static void requirePython() throws InterruptedException {
        String why;
        try {
            Process p = new ProcessBuilder(List.of("python3", "--version")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = VERSION.matcher(out);
            if (m.find() && (Integer.parseInt(m.group(1)) > 3 || Integer.parseInt(m.group(1)) == 3 && Integer.parseInt(m.group(2)) >= 10)) {
                return;
            }
            why = "python3 is not 3.10 or newer (" + out + ")";
        } catch (IOException e) {
            why = "python3 is not installed (" + e.getMessage() + ")";
        }
        if ("1".equals(System.getenv("RECLAIM_REQUIRE_PYTHON"))) {
            throw new AssertionError(why + " (RECLAIM_REQUIRE_PYTHON=1: the Python client tests must run)");
        }
        Assumptions.abort(why + "; skipping the Python client tests (set RECLAIM_REQUIRE_PYTHON=1 to fail instead)");
    }
}
