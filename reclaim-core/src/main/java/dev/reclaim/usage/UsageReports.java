package dev.reclaim.usage;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.StoreException;
import dev.reclaim.store.StorageUsage;
import dev.reclaim.store.StorageUsage.Dimension;
import dev.reclaim.store.StorageUsage.UsageDay;
import dev.reclaim.store.StorageUsage.UsageQuery;
import dev.reclaim.store.StorageUsage.UsageReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the bytes are ({@code reclaim du}, {@code GET /api/v1/usage}): stored objects and bytes
 * grouped by project, kind, status, archived, owner or age, with the largest tasks and projects.
 * Reads the totals the task store keeps; never scans the catalog or the artifact store.
 */
public final class UsageReports {
    private static final Logger LOG = LoggerFactory.getLogger(UsageReports.class);
    private final StorageUsage usage;
    private final Clock clock;

    /** Reads the usage a task store keeps. */
    public UsageReports(StorageUsage usage, Clock clock) {
        this.usage = usage;
        this.clock = clock;
    }

    /**
     * A report grouped by {@code by}, with the {@code top} largest tasks and projects. Folds recent
     * changes into the totals first where the store may be written, so the read stays a few rows.
     */
    public UsageReport report(List<Dimension> by, int top) {
        compact();
        return usage.usage(new UsageQuery(by, top, clock.instant()));
    }

    /**
     * Stored objects and bytes at the end of each of the last {@code days} UTC days, today last,
     * with the bytes added and freed each day; see {@link StorageUsage#history}.
     *
     * @throws InvalidArgumentException when {@code days} is not 1..3650
     */
    public List<UsageDay> history(int days) {
        if (days < 1 || days > MAX_HISTORY_DAYS) {
            throw new InvalidArgumentException("days must be between 1 and " + MAX_HISTORY_DAYS + " (ten years), got " + days);
        }
        compact();
        return usage.history(days, clock.instant());
    }

    /** The longest history a report covers: ten years of days. */
    public static final int MAX_HISTORY_DAYS = 3650;

    private void compact() {
        try {
            usage.compactUsage();
        } catch (StoreException e) {
            // a read-only home, or a busy store: reads add the uncompacted changes themselves
            LOG.debug("usage not compacted before the report: {}", e.getMessage());
        }
    }

    /**
     * Parses a comma-separated list of dimensions: project, kind, status, archived, owner, age.
     *
     * @throws InvalidArgumentException naming the dimension that is not one and the ones there are
     */
    public static List<Dimension> dimensions(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        Set<Dimension> out = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            Dimension d = Arrays.stream(Dimension.values()).filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new InvalidArgumentException("'" + part.trim() + "' is not something usage is grouped "
                            + "by; use any of project, kind, status, archived, owner, age, comma-separated (e.g. project,kind)"));
            if (!out.add(d)) {
                throw new InvalidArgumentException("'" + part.trim() + "' is named twice in '" + text + "'; name each once");
            }
        }
        return new ArrayList<>(out);
    }
}
