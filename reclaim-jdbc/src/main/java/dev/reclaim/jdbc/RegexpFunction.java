package dev.reclaim.jdbc;

import org.sqlite.Function;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * SQLite's {@code REGEXP} operator as Java regular expressions with find semantics:
 * {@code name REGEXP ?} is true when the pattern matches anywhere in the name. NULL when either
 * side is NULL. Compiled patterns are cached per connection.
 */
final class RegexpFunction extends Function {
    private static final int CACHE_SIZE = 64;

    private final Map<String, Pattern> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** Registers the function on a connection. */
    static void register(Connection c) throws SQLException {
        Function.create(c, "REGEXP", new RegexpFunction(), 2, Function.FLAG_DETERMINISTIC);
    }

    @Override
    protected synchronized void xFunc() throws SQLException {
        // X REGEXP Y calls regexp(Y, X): the pattern comes first
        String pattern = value_text(0);
        String value = value_text(1);
        if (pattern == null || value == null) {
            result();
            return;
        }
        try {
            Pattern p = cache.computeIfAbsent(pattern, Pattern::compile);
            result(p.matcher(value).find() ? 1 : 0);
        } catch (PatternSyntaxException e) {
            error("not a valid regular expression: " + e.getDescription());
        }
    }
}
