package dev.reclaim.server;

import dev.reclaim.tokens.Role;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of the route table: everything Javalin needs to register the route and everything the
 * OpenAPI document says about it come from here, so the two cannot drift apart.
 *
 * @param method       HTTP method, upper case
 * @param path         path with {@code {name}} parameters
 * @param role         the least role that may call it; null for a public route (no token needed)
 * @param summary      one line for the OpenAPI document
 * @param query        the query parameters it accepts, typed; any other is answered 400
 * @param body         the record its JSON request body is read into, {@link #STREAM} for a body of raw bytes
 *                     the handler streams itself ({@code application/octet-stream}), or null when it takes none
 * @param bodyRequired true when a request without a body is refused (false: the body is optional)
 * @param response     what it answers when it succeeds
 * @param action       the handler
 */
record Route(String method, String path, Role role, String summary, List<Param> query, Class<?> body,
             boolean bodyRequired, Response response, Action action) {
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-z_]+)}");
    /** The {@link #body} of a route whose request body is raw bytes, streamed by its handler. */
    static final Class<InputStream> STREAM = InputStream.class;
    /** The media type of a {@link #STREAM} body. */
    static final String BYTES = "application/octet-stream";

    Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(summary, "summary");
        query = List.copyOf(query);
        if (query.stream().map(Param::name).distinct().count() != query.size()) {
            throw new IllegalArgumentException(method + " " + path + ": a query parameter is listed twice");
        }
        if (body != null && body != STREAM && !body.isRecord()) {
            throw new IllegalArgumentException(method + " " + path + ": the request body type must be a record, not " + body);
        }
        Objects.requireNonNull(response, "response");
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

    /**
     * What a route answers when it succeeds.
     *
     * @param status    the status: 200, or 201 for a route that creates something
     * @param mediaType {@code application/json}, or what the route streams
     * @param type      the record (or other type) the JSON body is; {@code String} or {@code byte[]} for a stream
     * @param shapeOnly true when the handler answers a map with exactly the keys of {@code type}'s
     *                  JSON form rather than a {@code type} itself (tests check the keys)
     */
    record Response(int status, String mediaType, Class<?> type, boolean shapeOnly) {
        static final String JSON = "application/json";
        /** Text the handler writes itself (e.g. Prometheus metrics). */
        static final Response TEXT = new Response(200, "text/plain", String.class, false);
        /** Bytes the handler streams itself (a download). */
        static final Response BYTES = new Response(200, "application/octet-stream", byte[].class, false);

        Response {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(type, "type");
        }

        /** 200 with a JSON {@code type}. */
        static Response json(Class<?> type) {
            return new Response(200, JSON, type, false);
        }

        /** 201 with a JSON {@code type}. */
        static Response created(Class<?> type) {
            return new Response(201, JSON, type, false);
        }

        /** The same response, answered as a map shaped like {@link #type()} (see {@link #shapeOnly()}). */
        Response asMap() {
            return new Response(status, mediaType, type, true);
        }

        /**
         * True when a handler's answer is what this response declares: the status, and a body of
         * the declared type (or a map, for {@link #shapeOnly()}); a null answer (the handler wrote a
         * stream) is admitted for non-JSON responses only.
         */
        boolean admits(Object answer) {
            if (answer == null) {
                return !mediaType.equals(JSON);
            }
            int s = answer instanceof Reply r ? r.status() : 200;
            Object body = answer instanceof Reply r ? r.body() : answer;
            return s == status && (shapeOnly ? body instanceof Map : type.isInstance(body));
        }
    }

    /** True when the request body is raw bytes ({@link #STREAM}), not JSON. */
    boolean streamsBody() {
        return body == STREAM;
    }

    /** Names of the query parameters, in order. */
    List<String> queryParams() {
        return query.stream().map(Param::name).toList();
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

    /** The path parameters, typed ({@link Param#inPath}). */
    List<Param> pathParamTypes() {
        return pathParams().stream().map(Param::inPath).toList();
    }

    /** {@code GET /api/v1/tasks/{id}}: how tests, metrics and logs name the route. */
    String key() {
        return method + " " + path;
    }

    /** The same route with a body that may be left out. */
    Route optionalBody() {
        return new Route(method, path, role, summary, query, body, false, response, action);
    }

    /** A GET route (no request body). */
    static Route get(String path, Role role, String summary, List<Param> query, Response response, Action a) {
        return new Route("GET", path, role, summary, query, null, false, response, a);
    }

    /** A POST route; {@code body} is null when it takes none. */
    static Route post(String path, Role role, String summary, List<Param> query, Class<?> body, Response response,
                      Action a) {
        return new Route("POST", path, role, summary, query, body, body != null, response, a);
    }

    /** A PUT route with a required {@code body} and no query parameters. */
    static Route put(String path, Role role, String summary, Class<?> body, Response response, Action a) {
        return new Route("PUT", path, role, summary, List.of(), body, body != null, response, a);
    }

    /** A DELETE route (no request body). */
    static Route delete(String path, Role role, String summary, List<Param> query, Response response, Action a) {
        return new Route("DELETE", path, role, summary, query, null, false, response, a);
    }

    /** Checks that {@code names} are exactly the parameters {@code params} type, so a typed list cannot miss one. */
    static List<Param> typed(List<String> names, List<Param> params) {
        List<String> typed = params.stream().map(Param::name).toList();
        if (!new HashSet<>(typed).equals(new HashSet<>(names)) || typed.size() != names.size()) {
            throw new IllegalStateException("query parameters " + names + " are typed as " + typed);
        }
        return params;
    }
}
