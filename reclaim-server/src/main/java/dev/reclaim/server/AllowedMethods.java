package dev.reclaim.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which methods a path takes, for the {@code Allow} header of a 405: the route table's methods for
 * an API path (HEAD wherever GET is, as Javalin answers it), GET and HEAD for a file of the web UI.
 */
final class AllowedMethods {
    private static final Pattern PARAM = Pattern.compile("\\{[a-z_]+}");
    private static final String WEB = "/web";

    private final List<Map.Entry<Pattern, String>> routes = new ArrayList<>();

    AllowedMethods(List<Route> table) {
        for (Route r : table) {
            StringBuilder regex = new StringBuilder();
            int at = 0;
            var m = PARAM.matcher(r.path());
            while (m.find()) {
                regex.append(Pattern.quote(r.path().substring(at, m.start()))).append("[^/]+");
                at = m.end();
            }
            regex.append(Pattern.quote(r.path().substring(at)));
            routes.add(Map.entry(Pattern.compile(regex.toString()), r.method()));
        }
    }

    /** The methods {@code path} takes, sorted; empty when it is no route and no file. */
    List<String> of(String path) {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<Pattern, String> r : routes) {
            if (r.getKey().matcher(path).matches()) {
                out.add(r.getValue());
                if (r.getValue().equals("GET")) {
                    out.add("HEAD");
                }
            }
        }
        if (out.isEmpty() && isWebFile(path)) {
            out.add("GET");
            out.add("HEAD");
        }
        return List.copyOf(out);
    }

    private static boolean isWebFile(String path) {
        if (path.equals("/")) {
            return true;
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (path.contains("..") || path.contains("\\") || path.contains("%") || !last.contains(".")) {
            return false;
        }
        return AllowedMethods.class.getResource(WEB + path) != null;
    }
}
