package dev.reclaim.server;

import dev.reclaim.Reclaim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Reclaim server in a child JVM on a home, for requests that may keep a thread busy for minutes
 * (a pathological name filter): killing the child ends them, where in the test's own JVM they would
 * spin on until the whole run ends.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the child on {@code home} (no workers, no background cleanup) and waits until it listens. */
    static ServerProcess start(Path home) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ServerProcess.class.getName(), home.toString()).redirectErrorStream(true);
        try {
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null) {
                if (line.startsWith("port ")) {
                    Thread drain = new Thread(() -> {
                        try {
                            out.transferTo(Writer.nullWriter());
                        } catch (IOException e) {
                            // the child is gone
                        }
                    }, "server-process-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new ServerProcess(p, Integer.parseInt(line.substring(5).trim()));
                }
                seen.append(line).append('\n');
            }
            throw new AssertionError("the server process ended before listening:\n" + seen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the child and waits until it is gone. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The child: a server on the home given as the only argument, until it is killed. */
    public static void main(String[] args) throws InterruptedException {
        Reclaim reclaim = ServerFixture.open(Path.of(args[0]));
        ReclaimServer server = new ReclaimServer(reclaim, ServerSettings.builder().port(0).workerSlots(0).build()).start();
        System.out.println("port " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
