package dev.reclaim.query;

/**
 * What the tasks matching a query's filters add up to (paging and ordering ignored): how many there
 * are and how much space their live artifacts take.
 *
 * @param count number of matching tasks
 * @param bytes bytes of the LIVE artifacts of those tasks
 */
public record TaskSummary(long count, long bytes) {
}
