package dev.reclaim.bench;

import dev.reclaim.Reclaim;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.server.ReclaimServer;
import dev.reclaim.server.ServerSettings;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.worker.WorkerSettings;

import java.nio.file.Path;
import java.util.Set;

/**
 * The server side of {@link HttpLoadBench}, run in its own JVM so the load generator does not
 * share its heap, threads or JIT: serves the home given as the first argument on a free loopback
 * port, prints {@code PORT n}, and stops when its standard input closes.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        try (Reclaim r = Reclaim.builder()
                .taskStore(JdbcTaskStore.openSqlite(home.resolve("reclaim.db")))
                .artifactStore(FileArtifactStore.open(home.resolve("artifacts")))
                .stagingRoot(home.resolve("staging"))
                .workerSettings(WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE)))
                .meterRegistry(ReclaimServer.newMeterRegistry())
                .build();
             ReclaimServer server = new ReclaimServer(r, ServerSettings.builder().port(0).workerSlots(1).build())) {
            server.start();
            System.out.println("PORT " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }
}
