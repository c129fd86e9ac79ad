package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.server.ReclaimServer;
import dev.reclaim.server.ServerSettings;
import dev.reclaim.slurm.SlurmExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code reclaim server [--port 8080] [--bind 127.0.0.1] [--cleanup-service] [--workers N] [--public-url URL]
 * [--allowed-host NAME] [--shutdown-grace 10s]}: the HTTP
 * API, metrics and web files over the home, with workers and optionally the Cleanup Service, until
 * Ctrl-C or SIGTERM stops it cleanly.
 */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves the HTTP JSON API (/api/v1), /metrics, /health, /openapi.json and the web UI until stopped.",
                "Requests need a bearer token (reclaim tokens create). With no token at all it only listens on loopback "
                        + "and then allows every local request as admin, with a warning.",
                "It also runs workers on the default queue and, with --cleanup-service, the Cleanup Service every period."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim server", "  reclaim tokens create --name ops --role admin && reclaim server --bind 0.0.0.0 --cleanup-service",
                "  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/api/v1/tasks"})
final class ServerCommand extends HomeCommand {
    @Option(names = "--port", paramLabel = "N", defaultValue = "" + ServerSettings.DEFAULT_PORT,
            description = "TCP port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = ServerSettings.DEFAULT_BIND,
            description = "Address to listen on. Anything but loopback needs a token. Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--cleanup-service", description = "Also run the Cleanup Service every cleanup_period_in_days.")
    boolean cleanupService;

    @Option(names = "--slurm", description = "Also follow the Slurm jobs of queue slurm and of every queue the home's "
            + "config gives to Slurm, as 'reclaim worker --slurm' does (needs Slurm's client commands on the PATH).")
    boolean slurm;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "" + ServerSettings.DEFAULT_WORKER_SLOTS,
            description = "Jobs this process runs at once on the default queue; 0 runs none. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "The URL people reach the server under when it is not the bind address, e.g. behind a proxy "
                    + "(https://reclaim.example.org): its host is served and pages from its origin may change state.")
    String publicUrl;

    @Option(names = "--allowed-host", paramLabel = "NAME", split = ",",
            description = "Another host name or address the server answers to (repeatable or comma-separated). Requests "
                    + "naming any other host are refused (421), which stops DNS rebinding. Always served: the bind "
                    + "address, and on loopback localhost, 127.0.0.1 and [::1].")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "10s",
            converter = Converters.DurationConverter.class,
            description = "On Ctrl-C or SIGTERM, how long requests in flight, running jobs and the current cleanup batch "
                    + "may finish; then they are stopped and the process exits (at most " + STOP_AND_CLOSE_SECONDS
                    + "s later). Default: ${DEFAULT-VALUE}.")
    Duration shutdownGrace;

    @Option(names = "--max-upload-bytes", paramLabel = "N", defaultValue = "" + ServerSettings.DEFAULT_MAX_UPLOAD_BYTES,
            description = "Largest artifact one streamed upload (PUT /api/v1/tasks/ID/artifacts) may store; a larger "
                    + "one is refused (413) and nothing is kept. Default: ${DEFAULT-VALUE} (10 GiB).")
    long maxUploadBytes;

    /** What stopping may take beyond the grace: the server's stop allowance, then closing the stores. */
    static final long STOP_AND_CLOSE_SECONDS = 10;

    private final StopSignal stop = new StopSignal();
    private final MeterRegistry meters = ReclaimServer.newMeterRegistry();
    private volatile ReclaimServer running;
    private ServerSettings settings;

    @Override
    void validate() {
        settings = ServerSettings.builder().port(port).bind(bind).workerSlots(workers).cleanupService(cleanupService)
                .publicUrl(publicUrl).allowedHosts(allowedHosts).shutdownGrace(shutdownGrace).maxUploadBytes(maxUploadBytes).build();
    }

    @Override
    MeterRegistry meterRegistry() {
        return meters;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        CleanupSettings cleanup = CleanupConfig.load(home.dir(), root().environment(), Map.of());
        ReclaimServer server = new ReclaimServer(reclaim, settings, cleanup).start();
        running = server;
        if (slurm) {
            Set<String> queues = new LinkedHashSet<>(List.of(SlurmExecutor.NAME));
            queues.addAll(QueueConfig.queuesOf(home.dir(), SlurmExecutor.NAME));
            reclaim.workers().startMonitor(SlurmExecutor.NAME, queues); // stopped when the instance closes
        }
        // The hook lets the JVM exit after this long even when a request or a store close never ends.
        stop.install("reclaim-server-shutdown", settings.shutdownGrace().plusSeconds(STOP_AND_CLOSE_SECONDS));
        try {
            out().println("reclaim server listening on " + server.url() + " (API " + server.url() + "api/v1, home "
                    + home.dir() + ", " + settings.workerSlots() + " worker slot(s)"
                    + (settings.cleanupService() ? ", Cleanup Service on" : "") + (slurm ? ", following Slurm jobs" : "")
                    + "; answers to host "
                    + String.join(", ", server.hostNames()) + "); stop with Ctrl-C");
            if (server.openAccess()) {
                err().println("warning: no API token exists, so every request from this machine is allowed as admin; "
                        + "create one with: reclaim" + homeOption(home) + " tokens create --name NAME --role admin");
            }
            out().flush();
            stop.await();
            out().println("reclaim server stopping");
            out().flush();
            server.stop();
            out().println("reclaim server stopped");
            out().flush();
            return ExitCodes.OK;
        } finally {
            running = null;
            stop.uninstall();
        }
    }

    @Override
    void closed() {
        stop.closed();
    }

    /** Asks a running server to stop as Ctrl-C does (for embedding and tests). */
    void requestStop() {
        stop.request();
    }

    /** The running server, or null (tests read its port). */
    ReclaimServer server() {
        return running;
    }
}
