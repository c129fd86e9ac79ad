package dev.reclaim.jdbc;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.sqlite.Function;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SQLite's {@code REGEXP} operator in RE2 syntax, with find semantics: {@code name REGEXP ?} is true
 * when the pattern matches anywhere in the name. NULL when either side is NULL.
 *
 * <p>RE2/J matches in time linear in the name whatever the pattern: a backtracking engine inside
 * this function cannot be stopped by the statement's time limit, because SQLite checks it only
 * between two steps of a statement, never inside one call of a function. SQLite calls the function
 * once per row with the same pattern, so the last pattern is kept compiled, and a few recent ones
 * besides (per connection, bounded).
 *
 * <p>Each call first asks the connection's {@link StatementDeadline}: SQLite consults it only every
 * {@link StatementDeadline#VM_STEPS} instructions, and one call of this function is a single
 * instruction however long RE2 takes inside it, so a scan of a few hundred costly matches would
 * otherwise run far past the limit.
 */
final class RegexpFunction extends Function {
    private static final int CACHE_SIZE = 16;

    private final Map<String, Pattern> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
            return size() > CACHE_SIZE;
        }
    };
    private final StatementDeadline deadline;
    private String lastPattern;
    private Pattern last;

    private RegexpFunction(StatementDeadline deadline) {
        this.deadline = deadline;
    }

    /** Registers the function on a connection whose statements stop at {@code deadline}. */
    static void register(Connection c, StatementDeadline deadline) throws SQLException {
        Function.create(c, "REGEXP", new RegexpFunction(deadline), 2, Function.FLAG_DETERMINISTIC);
    }

    @Override
    protected synchronized void xFunc() throws SQLException {
        if (deadline.overdue()) {
            // an error ends the statement; the connection's translation sees the expired deadline
            error("stopped at the time limit");
            return;
        }
        // X REGEXP Y calls regexp(Y, X): the pattern comes first
        String pattern = value_text(0);
        String value = value_text(1);
        if (pattern == null || value == null) {
            result();
            return;
        }
        try {
            result(compiled(pattern).matcher(value).find() ? 1 : 0);
        } catch (PatternSyntaxException e) {
            error("not a valid regular expression: " + e.getDescription());
        }
    }

    private Pattern compiled(String pattern) {
        if (!pattern.equals(lastPattern)) {
            last = cache.computeIfAbsent(pattern, Pattern::compile);
            lastPattern = pattern;
        }
        return last;
    }
}
