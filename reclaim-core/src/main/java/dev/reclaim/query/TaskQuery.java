package dev.reclaim.query;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.TaskStatus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A task query (docs/rules.md section 3, {@code getAll}). Empty collections mean "no filter".
 * Values are validated when set: a bad value is an {@link InvalidArgumentException}, never ignored.
 * Tasks being deleted are never returned unless {@link Builder#includeDeleting(boolean)} is set.
 *
 * <p>Tag filters: a tag without prefix must be present (several such tags: any of them); a tag
 * prefixed with {@code -} must be absent (all such tags).
 *
 * <p>Paging: either offset paging ({@code page}, {@code pageSize}) or keyset paging with a
 * {@code cursor} from the previous {@link Page}; the cursor is stable while rows are deleted.
 */
public final class TaskQuery {
    /** Default page size. */
    public static final int DEFAULT_PAGE_SIZE = 100;
    /** Largest page size accepted. */
    public static final int MAX_PAGE_SIZE = 500;

    private final Set<String> ids;
    private final String namePattern;
    private final Set<String> projects, types, owners;
    private final Set<TaskStatus> statuses;
    private final String parentId;
    private final List<String> tags, systemTags;
    private final List<TimeCondition> statusChanged, archivedAt, created;
    private final boolean onlyJobs, includeDeleting;
    private final List<Order> orderBy;
    private final Integer page;
    private final int pageSize;
    private final String cursor;

    private TaskQuery(Builder b) {
        ids = Set.copyOf(b.ids);
        namePattern = b.namePattern;
        projects = Set.copyOf(b.projects);
        types = Set.copyOf(b.types);
        owners = Set.copyOf(b.owners);
        statuses = Set.copyOf(b.statuses);
        parentId = b.parentId;
        tags = List.copyOf(b.tags);
        systemTags = List.copyOf(b.systemTags);
        statusChanged = List.copyOf(b.statusChanged);
        archivedAt = List.copyOf(b.archivedAt);
        created = List.copyOf(b.created);
        onlyJobs = b.onlyJobs;
        includeDeleting = b.includeDeleting;
        orderBy = List.copyOf(b.orderBy);
        page = b.page;
        pageSize = b.pageSize;
        cursor = b.cursor;
    }

    /** A new builder: no filters, ordered by id, first page of {@link #DEFAULT_PAGE_SIZE}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Only these ids. */
    public Set<String> ids() { return ids; }
    /**
     * Regular expression (RE2 syntax) the name must contain a match of (find, not full match); null
     * for any. Stores may refuse the few RE2 forms their database cannot run the same way.
     */
    public String namePattern() { return namePattern; }
    /** Only these projects. */
    public Set<String> projects() { return projects; }
    /** Only these types. */
    public Set<String> types() { return types; }
    /** Only these owners. */
    public Set<String> owners() { return owners; }
    /** Only these statuses. */
    public Set<TaskStatus> statuses() { return statuses; }
    /** Only children of this task; null for any. */
    public String parentId() { return parentId; }
    /** User tag filters, {@code -} prefix excludes. */
    public List<String> tags() { return tags; }
    /** System tag filters, {@code -} prefix excludes. */
    public List<String> systemTags() { return systemTags; }
    /** Conditions on statusChangedAt, ANDed. */
    public List<TimeCondition> statusChanged() { return statusChanged; }
    /** Conditions on archivedAt, ANDed; a task without archivedAt satisfies none. */
    public List<TimeCondition> archivedAt() { return archivedAt; }
    /** Conditions on createdAt, ANDed. */
    public List<TimeCondition> created() { return created; }
    /** Only tasks that were submitted as jobs. */
    public boolean onlyJobs() { return onlyJobs; }
    /** Also return tasks whose deletion has started. */
    public boolean includeDeleting() { return includeDeleting; }
    /** Ordering keys; the id is always the final tie-breaker, ascending unless the last key is descending. */
    public List<Order> orderBy() { return orderBy; }
    /** Zero-based page number for offset paging; null when a cursor (or the first page) is wanted. */
    public Integer page() { return page; }
    /** Rows per page. */
    public int pageSize() { return pageSize; }
    /** Cursor from a previous page; null for the first page. */
    public String cursor() { return cursor; }

    /** A builder holding this query's values, e.g. to ask for the next page. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ids.addAll(ids); b.namePattern = namePattern; b.projects.addAll(projects); b.types.addAll(types);
        b.owners.addAll(owners); b.statuses.addAll(statuses); b.parentId = parentId; b.tags.addAll(tags);
        b.systemTags.addAll(systemTags); b.statusChanged.addAll(statusChanged); b.archivedAt.addAll(archivedAt);
        b.created.addAll(created); b.onlyJobs = onlyJobs; b.includeDeleting = includeDeleting;
        b.orderBy.clear(); b.orderBy.addAll(orderBy); b.page = page; b.pageSize = pageSize; b.cursor = cursor;
        return b;
    }

    /** Builder with validation as values are set. */
    public static final class Builder {
        private final Set<String> ids = new LinkedHashSet<>();
        private String namePattern;
        private final Set<String> projects = new LinkedHashSet<>(), types = new LinkedHashSet<>(), owners = new LinkedHashSet<>();
        private final Set<TaskStatus> statuses = new LinkedHashSet<>();
        private String parentId;
        private final List<String> tags = new ArrayList<>(), systemTags = new ArrayList<>();
        private final List<TimeCondition> statusChanged = new ArrayList<>(), archivedAt = new ArrayList<>(), created = new ArrayList<>();
        private boolean onlyJobs, includeDeleting;
        private final List<Order> orderBy = new ArrayList<>();
        private Integer page;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private String cursor;

        private Builder() {
        }

        public Builder ids(Collection<String> v) { ids.addAll(nonBlank("id", v)); return this; }
        public Builder projects(Collection<String> v) { projects.addAll(nonBlank("project", v)); return this; }
        public Builder types(Collection<String> v) { types.addAll(nonBlank("type", v)); return this; }
        public Builder owners(Collection<String> v) { owners.addAll(nonBlank("owner", v)); return this; }
        public Builder statuses(Collection<TaskStatus> v) { statuses.addAll(v); return this; }
        public Builder parentId(String v) { parentId = v; return this; }
        public Builder tags(Collection<String> v) { tags.addAll(tagFilters("tags", v)); return this; }
        public Builder systemTags(Collection<String> v) { systemTags.addAll(tagFilters("system_tags", v)); return this; }
        public Builder statusChanged(Collection<TimeCondition> v) { statusChanged.addAll(v); return this; }
        public Builder archivedAt(Collection<TimeCondition> v) { archivedAt.addAll(v); return this; }
        public Builder created(Collection<TimeCondition> v) { created.addAll(v); return this; }
        public Builder onlyJobs(boolean v) { onlyJobs = v; return this; }
        public Builder includeDeleting(boolean v) { includeDeleting = v; return this; }
        public Builder orderBy(Collection<Order> v) { orderBy.addAll(v); return this; }
        public Builder cursor(String v) { cursor = v; return this; }

        /**
         * Name filter: a regular expression in RE2 syntax, which matches in time linear in the
         * name; rejected, saying what to write instead, when RE2 cannot run it (backreferences,
         * lookaround, possessive quantifiers, atomic groups) or it does not parse.
         */
        public Builder namePattern(String v) {
            if (v != null) {
                NamePatterns.check(v);
            }
            namePattern = v;
            return this;
        }

        /** Zero-based page number; rejected when negative. */
        public Builder page(Integer v) {
            if (v != null && v < 0) {
                throw new InvalidArgumentException("page must be >= 0, got " + v);
            }
            page = v;
            return this;
        }

        /** Rows per page, 1 to {@link #MAX_PAGE_SIZE}. */
        public Builder pageSize(int v) {
            if (v < 1 || v > MAX_PAGE_SIZE) {
                throw new InvalidArgumentException("page size must be between 1 and " + MAX_PAGE_SIZE + ", got " + v
                        + "; page through larger results with the cursor");
            }
            pageSize = v;
            return this;
        }

        public TaskQuery build() {
            if (page != null && cursor != null) {
                throw new InvalidArgumentException("give either page or cursor, not both: the cursor already says where to continue");
            }
            return new TaskQuery(this);
        }

        private static Collection<String> nonBlank(String what, Collection<String> v) {
            for (String s : v) {
                if (s == null || s.isBlank()) {
                    throw new InvalidArgumentException(what + ": empty value; give a name or leave the filter out");
                }
            }
            return v;
        }

        private static Collection<String> tagFilters(String what, Collection<String> v) {
            for (String s : v) {
                if (s == null || s.isBlank() || s.equals("-")) {
                    throw new InvalidArgumentException(what + ": empty tag; write 'name' to require a tag or '-name' to exclude it");
                }
            }
            return v;
        }
    }
}
