package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.store.StorageUsage.Dimension;
import dev.reclaim.store.StorageUsage.Group;
import dev.reclaim.store.StorageUsage.UsageReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code /metrics} shows besides the Cleanup Service's own meters: the JVM and the process,
 * Jetty's threads and connections, stored bytes and objects by project and kind (the
 * {@value #TOP_PROJECTS} largest projects by name, the rest as {@code other}, so the number of
 * series stays bounded), and the cleanup lag. Storage figures are read from the kept usage totals
 * at most every {@link #REFRESH} when scraped.
 */
final class ServerMeters implements AutoCloseable {
    static final int TOP_PROJECTS = 20;
    static final Duration REFRESH = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ServerMeters.class);

    private final Reclaim reclaim;
    private final CleanupSettingsSource cleanup;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MultiGauge bytes;
    private final MultiGauge objects;
    private volatile double lagSeconds;
    private Instant refreshedAt;

    ServerMeters(Reclaim reclaim, MeterRegistry meters, CleanupSettingsSource cleanup) {
        this.reclaim = reclaim;
        this.cleanup = cleanup;
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        gc.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        bytes = MultiGauge.builder("reclaim.storage.bytes").baseUnit("bytes")
                .description("Bytes of live artifacts stored, by project (the largest " + TOP_PROJECTS + ", the rest as other) "
                        + "and kind").register(meters);
        objects = MultiGauge.builder("reclaim.storage.objects")
                .description("Live artifacts stored, by project (the largest " + TOP_PROJECTS + ", the rest as other) and kind")
                .register(meters);
        Gauge.builder("reclaim.cleanup.lag", this, m -> m.lagSeconds).baseUnit("seconds")
                .description("How long the oldest task the Cleanup Service settings make eligible has waited to be deleted "
                        + "(0 when none waits)").register(meters);
    }

    /** Jetty's thread pool and connection meters, for a started server (its connectors exist). */
    static void bindJetty(Server server, MeterRegistry meters) {
        new JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty()).bindTo(meters);
        JettyConnectionMetrics.addToAllConnectors(server, meters);
    }

    /** Reads the storage figures and the lag again if the last read is older than {@link #REFRESH}. */
    synchronized void refreshIfStale() {
        Instant now = reclaim.clock().instant();
        if (refreshedAt != null && Duration.between(refreshedAt, now).compareTo(REFRESH) < 0) {
            return;
        }
        refreshedAt = now;
        try {
            UsageReport r = reclaim.usage().report(List.of(Dimension.PROJECT, Dimension.KIND), TOP_PROJECTS);
            Set<String> top = new HashSet<>();
            r.topProjects().forEach(g -> top.add(g.key().get(0)));
            Map<Tags, long[]> rows = new LinkedHashMap<>();
            for (Group g : r.groups()) {
                String project = top.contains(g.key().get(0)) ? g.key().get(0) : "other";
                long[] t = rows.computeIfAbsent(Tags.of("project", project, "kind", g.key().get(1).toLowerCase(Locale.ROOT)),
                        k -> new long[2]);
                t[0] += g.objects();
                t[1] += g.bytes();
            }
            objects.register(rows.entrySet().stream().map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()[0])).toList(), true);
            bytes.register(rows.entrySet().stream().map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()[1])).toList(), true);
            lagSeconds = reclaim.cleanup().lag(cleanup.get()).toMillis() / 1000.0;
        } catch (RuntimeException e) {
            // a busy or unreachable store: the figures of the last read stay; /health reports the store
            LOG.warn("storage figures for /metrics not refreshed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        gc.close();
    }
}
