package dev.reclaim.store;

import dev.reclaim.InvalidArgumentException;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Storage usage kept in the task store: objects and bytes of LIVE artifacts per task and per group
 * (project, kind, status, archived, owner, creation day), updated in the same transaction as every
 * change to an artifact or a task, so a report is a read of a few rows, not a scan. One of the role
 * ports of a {@link TaskStore}; see docs/architecture.md.
 */
public interface StorageUsage {

    /**
     * Totals grouped by {@code query.by()}, the overall total, and the largest tasks and projects.
     * Groups come largest first.
     */
    UsageReport usage(UsageQuery query);

    /**
     * Stored objects and bytes at the end of each of the {@code days} UTC days up to and including
     * the day of {@code now}, oldest first, rebuilt from what is stored now and what the audit trail
     * records as deleted since: an object counts from its task's creation day (a detached model's
     * own) to the day its deletion was recorded. A day's added figures are what tasks created that
     * day hold or held; its freed figures what the audit recorded deleted that day.
     *
     * @param days 1..3650
     */
    List<UsageDay> history(int days, Instant now);

    /**
     * Folds the changes recorded since the last compaction into the kept totals, so reads stay a
     * few rows. Safe to call from any number of processes at once; changes nothing a report shows.
     */
    void compactUsage();

    /**
     * Recounts usage from the artifact records and compares it with what is kept: each difference
     * (a group or a task whose kept objects or bytes are not the recount), the first {@code limit}.
     */
    List<String> checkUsage(int limit);

    /** Replaces what is kept with a recount from the artifact records, in one transaction. */
    void repairUsage();

    /** The dimensions a report can be grouped by. */
    enum Dimension {
        /** The task's project ({@code ""} for detached models). */
        PROJECT,
        /** The artifact's kind. */
        KIND,
        /** The task's status ({@code DETACHED} for models whose task was deleted). */
        STATUS,
        /** Whether the task is archived. */
        ARCHIVED,
        /** The task's owner ({@code ""} when none). */
        OWNER,
        /** How long ago the task was created: {@link AgeBucket}. */
        AGE
    }

    /** Age buckets of {@link Dimension#AGE}, by the task's creation time. */
    enum AgeBucket {
        /** Under 7 days. */
        UNDER_7_DAYS("<7d", 7),
        /** 7 to 30 days. */
        UNDER_30_DAYS("7-30d", 30),
        /** 30 to 90 days. */
        UNDER_90_DAYS("30-90d", 90),
        /** 90 to 365 days. */
        UNDER_1_YEAR("90d-1y", 365),
        /** A year or more. */
        OLDER(">1y", Long.MAX_VALUE);

        private final String label;
        private final long underDays;

        AgeBucket(String label, long underDays) {
            this.label = label;
            this.underDays = underDays;
        }

        /** How the bucket is shown: {@code <7d}, {@code 7-30d}, ... */
        public String label() {
            return label;
        }

        /** The bucket of a task created on {@code createdDay} (days since the epoch), seen on {@code today}. */
        public static AgeBucket of(long createdDay, long today) {
            long age = today - createdDay;
            for (AgeBucket b : values()) {
                if (age < b.underDays) {
                    return b;
                }
            }
            return OLDER;
        }
    }

    /**
     * What to report.
     *
     * @param by  the dimensions to group by, in the order shown (none: only totals and tops)
     * @param top how many of the largest tasks and projects to list, 0..1000
     * @param now the time ages are measured at
     */
    record UsageQuery(List<Dimension> by, int top, Instant now) {
        public UsageQuery {
            by = List.copyOf(by);
            if (top < 0 || top > 1000) {
                throw new InvalidArgumentException("top must be 0..1000, not " + top);
            }
        }
    }

    /**
     * A report.
     *
     * @param by          the dimensions of {@code groups}
     * @param groups      one per distinct combination, largest first
     * @param objects     LIVE objects in all
     * @param bytes       their bytes
     * @param topTasks    the largest tasks
     * @param topProjects the largest projects
     */
    record UsageReport(List<Dimension> by, List<Group> groups, long objects, long bytes, List<TaskSize> topTasks,
                       List<Group> topProjects) {
        public UsageReport {
            by = List.copyOf(by);
            groups = List.copyOf(groups);
            topTasks = List.copyOf(topTasks);
            topProjects = List.copyOf(topProjects);
        }
    }

    /**
     * One group: its values (one per dimension, in the report's order) and totals.
     *
     * @param key     the values, as text ({@code true}/{@code false} for archived, a bucket label for age)
     * @param objects LIVE objects
     * @param bytes   their bytes
     */
    record Group(List<String> key, long objects, long bytes) {
        public Group {
            key = List.copyOf(key);
        }
    }

    /**
     * One day of {@link #history}.
     *
     * @param day          the UTC date
     * @param objects      objects stored at the day's end
     * @param bytes        their bytes
     * @param addedBytes   bytes of objects whose task was created that day, stored now or deleted since
     * @param freedBytes   bytes whose deletion the audit trail recorded that day
     */
    record UsageDay(LocalDate day, long objects, long bytes, long addedBytes, long freedBytes) {
    }

    /**
     * One task's size.
     *
     * @param taskId  the task
     * @param name    its name
     * @param project its project
     * @param objects its LIVE objects
     * @param bytes   their bytes
     */
    record TaskSize(String taskId, String name, String project, long objects, long bytes) {
    }
}
