package dev.reclaim.store;

/**
 * The query planner's statistics of the catalog. One of the role ports of a {@link TaskStore}; see
 * docs/architecture.md.
 */
public interface PlannerStatistics {

    /**
     * Refreshes the query planner's statistics (bounded in cost), so keyset pages over a large
     * catalog are read in index order instead of sorted. The Cleanup Service calls it after each
     * run, when the catalog has just changed most, and before a run only if {@link #hasStatistics}
     * is false.
     */
    void refreshStatistics();

    /**
     * Whether the query planner has statistics of the catalog at all: false for a store never
     * refreshed, unless its backend seeds a new store with figures of a large catalog (SQLite does).
     */
    boolean hasStatistics();
}
