package dev.reclaim.server;

import dev.reclaim.model.ArtifactKind;
import dev.reclaim.testkit.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics}: stored bytes and objects by project and kind with a bounded number of series,
 * the cleanup lag, and the JVM, process and Jetty meters.
 */
class ServerMetricsTest {
    @TempDir
    Path home;

    @Test
    void storedBytesByProjectAndKindKeepTheLargestProjectsAndFoldTheRestIntoOther() throws Exception {
        try (ServerFixture f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build())) {
            for (int p = 0; p < ServerMeters.TOP_PROJECTS + 5; p++) {
                String id = f.post("/api/v1/tasks", "{\"name\": \"t\", \"project\": \"p" + p + "\"}").json().path("id").asText();
                f.reclaim.tasks().addArtifact(id, ArtifactKind.MODEL, "m.bin",
                        Files.write(home.resolve("m" + p), new byte[1000 + p]));
            }

            String metrics = f.get("/metrics").body();

            List<String> series = Arrays.stream(metrics.split("\n")).filter(l -> l.startsWith("reclaim_storage_bytes{")).toList();
            assertThat(series).hasSize(ServerMeters.TOP_PROJECTS + 1);
            assertThat(series).anySatisfy(l -> assertThat(l).contains("project=\"p24\"").contains("kind=\"model\"")
                    .endsWith(" 1024.0"));
            // p0..p4 are the smallest: 1000 + 1001 + 1002 + 1003 + 1004 bytes as other
            assertThat(series).anySatisfy(l -> assertThat(l).contains("project=\"other\"").endsWith(" 5010.0"));
            assertThat(metrics).contains("reclaim_storage_objects{kind=\"model\",project=\"other\"} 5.0");
            assertThat(metrics).contains("jvm_memory_used_bytes").contains("process_uptime_seconds")
                    .contains("jvm_threads_live_threads").contains("jetty_threads_current").contains("jetty_connections");
        }
    }

    @Test
    void theCleanupLagIsHowLongTheOldestEligibleTaskHasWaited() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (ServerFixture f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build(), clock)) {
            assertThat(f.get("/metrics").body()).contains("reclaim_cleanup_lag_seconds 0.0");
            String id = f.post("/api/v1/tasks", "{\"name\": \"old draft\"}").json().path("id").asText();
            f.post("/api/v1/tasks/archive", "{\"ids\": [\"" + id + "\"]}");

            clock.advance(Duration.ofDays(31)); // eligible after 30 days: waiting for a day

            assertThat(f.get("/metrics").body()).contains("reclaim_cleanup_lag_seconds 86400.0");
        }
    }
}
