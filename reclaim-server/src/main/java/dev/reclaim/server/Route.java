package dev.reclaim.server;

import dev.reclaim.tokens.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of the route table: everything Javalin needs to register the route and everything the
 * OpenAPI document says about it come from here, so the two cannot drift apart.
 *
 * @param method      HTTP method, upper case
 * @param path        path with {@code {name}} parameters
 * @param role        the least role that may call it; null for a public route (no token needed)
 * @param summary     one line for the OpenAPI document
 * @param queryParams the query parameters it accepts; any other is answered 400
 * @param body        what the JSON request body holds, or null when the route takes none
 * @param action      the handler
 */
record Route(String method, String path, Role role, String summary, List<String> queryParams, String body,
             Action action) {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-z_]+)}");

    Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(summary, "summary");
        queryParams = List.copyOf(queryParams);
        Objects.requireNonNull(action, "action");
    }

    /** The handler of a route: returns the reply, or null when it wrote the response itself (streams). */
    @FunctionalInterface
    interface Action {
        Object handle(Call call) throws Exception;
    }

    /** A reply with a status other than 200. */
    record Reply(int status, Object body) {
    }

    /** Names of the path parameters, in order. */
    List<String> pathParams() {
        List<String> out = new ArrayList<>();
        Matcher m = PATH_PARAM.matcher(path);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** {@code GET /api/v1/tasks/{id}}: how tests, metrics and logs name the route. */
    String key() {
        return method + " " + path;
    }

    static Route get(String path, Role role, String summary, List<String> query, Action a) {
        return new Route("GET", path, role, summary, query, null, a);
    }

    static Route post(String path, Role role, String summary, List<String> query, String body, Action a) {
        return new Route("POST", path, role, summary, query, body, a);
    }

    static Route put(String path, Role role, String summary, String body, Action a) {
        return new Route("PUT", path, role, summary, List.of(), body, a);
    }

    static Route delete(String path, Role role, String summary, List<String> query, Action a) {
        return new Route("DELETE", path, role, summary, query, null, a);
    }
}
