package dev.reclaim.server;

import dev.reclaim.Problems;
import dev.reclaim.model.Ids;
import dev.reclaim.store.ApiToken;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One request as handlers see it: checked path ids, typed query parameters, a strict JSON body. */
final class Call {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private final Context ctx;
    private final ApiToken token;
    private final Class<?> declaredBody;

    /**
     * A request to a route whose table row declares {@code declaredBody} as its request body (null:
     * none); reading any other body is a mistake that assertions (on in tests) report.
     */
    Call(Context ctx, ApiToken token, Class<?> declaredBody) {
        this.ctx = ctx;
        this.token = token;
        this.declaredBody = declaredBody;
    }

    /** The underlying Javalin context (streams, headers). */
    Context ctx() {
        return ctx;
    }

    /** The token that made the request; null in open-access mode and on public routes. */
    ApiToken token() {
        return token;
    }

    /** Name of the token that made the request; {@code local} in open-access mode; null on public routes. */
    String caller() {
        return token == null ? "local" : token.name();
    }

    /**
     * A path parameter that must be a Reclaim id.
     *
     * @throws ApiException 400 when it does not look like one (nothing is looked up)
     */
    String id(String name) {
        String v = ctx.pathParam(name);
        if (!Ids.looksValid(v)) {
            throw ApiException.badRequest(name + " '" + v + "' is not a Reclaim id (28 lowercase hex digits)");
        }
        return v;
    }

    /** A raw path parameter. */
    String path(String name) {
        return ctx.pathParam(name);
    }

    /** All values of a query parameter (empty when absent). */
    List<String> all(String name) {
        List<String> v = ctx.queryParamMap().get(name);
        return v == null ? List.of() : v;
    }

    /** A query parameter given at most once; null when absent. */
    String one(String name) {
        List<String> v = all(name);
        if (v.size() > 1) {
            throw ApiException.badRequest(name + " was given " + v.size() + " times; give it once");
        }
        return v.isEmpty() ? null : v.get(0);
    }

    /** A true/false query parameter; null when absent. */
    Boolean bool(String name) {
        String v = one(name);
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.badRequest(name + " must be true or false, got '" + v + "'");
        };
    }

    /** A true/false query parameter with a default. */
    boolean bool(String name, boolean dflt) {
        Boolean b = bool(name);
        return b == null ? dflt : b;
    }

    /** A whole-number query parameter within bounds; {@code dflt} when absent. */
    int integer(String name, int dflt, int min, int max) {
        String v = one(name);
        if (v == null) {
            return dflt;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest(name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** A duration query parameter ({@code 500ms}, {@code 10s}, {@code 1m}), at most {@code max}. */
    Duration duration(String name, Duration dflt, Duration max) {
        String v = one(name);
        if (v == null) {
            return dflt;
        }
        Matcher m = SHORT_DURATION.matcher(v.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw ApiException.badRequest(name + " '" + v + "' is not a duration; write e.g. 500ms, 10s or 1m");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.compareTo(max) > 0) {
            throw ApiException.badRequest(name + " must be at most " + max.toSeconds() + "s, got " + v
                    + "; wait again after it returns");
        }
        return d;
    }

    /** The JSON body read strictly into {@code type}; a missing body is a 400. */
    <T> T body(Class<T> type) {
        assert type == declaredBody : "the route reads a " + type.getSimpleName() + " body but declares " + declaredBody;
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw ApiException.badRequest("this request needs a JSON body");
        }
        return HttpJson.read(bytes, type);
    }

    /**
     * The JSON body read strictly into {@code type}, read from the request's stream with a limit of
     * its own ({@code limit} bytes) rather than the server's usual one: batch routes take larger bodies.
     *
     * @throws ApiException 413 when the body is larger, 400 when it is missing or not the type
     */
    <T> T bodyUpTo(Class<T> type, long limit) {
        assert type == declaredBody : "the route reads a " + type.getSimpleName() + " body but declares " + declaredBody;
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + Problems.describe(e));
        }
        if (bytes.length > limit) {
            throw tooLarge(limit);
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("this request needs a JSON body");
        }
        return HttpJson.read(bytes, type);
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(413, Errors.TOO_LARGE, "the request body is larger than this route accepts (" + limit
                + " bytes); send fewer items per request");
    }

    /** The JSON body read strictly, or {@code empty} when there is none. */
    <T> T bodyOr(Class<T> type, T empty) {
        assert type == declaredBody : "the route reads a " + type.getSimpleName() + " body but declares " + declaredBody;
        byte[] bytes = ctx.bodyAsBytes();
        return bytes.length == 0 ? empty : HttpJson.read(bytes, type);
    }
}
