package dev.reclaim.server;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.RefusedException;
import dev.reclaim.QueryTimeoutException;
import dev.reclaim.StoreBusyException;
import dev.reclaim.NotFoundException;
import dev.reclaim.cleanup.CleanupBusyException;
import dev.reclaim.jobs.ResultsUnavailableException;
import dev.reclaim.model.JobStatus;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one table from exceptions to HTTP answers. Every error body is
 * {@code {"error": CODE, "message": ...}} (plus context fields for some codes). Unexpected errors
 * are logged with their details and answered with a generic message, so internals do not leak.
 */
final class Errors {
    static final String BAD_REQUEST = "bad_request";
    static final String UNAUTHORIZED = "unauthorized";
    static final String FORBIDDEN = "forbidden";
    static final String CROSS_ORIGIN = "cross_origin";
    static final String WRONG_HOST = "wrong_host";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    static final String NOT_FOUND = "not_found";
    static final String NEEDS_FORCE = "needs_force";
    static final String BUSY = "busy";
    static final String CONFLICT = "conflict";
    static final String TOO_LARGE = "too_large";
    static final String INTERNAL = "internal";
    static final String UNAVAILABLE = "unavailable";

    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {
    }

    /** Maps any exception a handler threw to an {@link ApiException}. */
    static ApiException map(Throwable e, String route) {
        if (e instanceof ApiException a) {
            return a;
        }
        if (e instanceof InvalidArgumentException) {
            return ApiException.badRequest(e.getMessage());
        }
        if (e instanceof QueryTimeoutException q) {
            // valid, but answering costs more than the store allows: the message says how to narrow it
            return ApiException.unavailable(q.getMessage(), q.limit());
        }
        if (e instanceof StoreBusyException b) {
            // valid, but every connection (or the database's lock) stayed taken as long as a request may wait
            return ApiException.unavailable(b.getMessage(), b.retryAfter());
        }
        if (e instanceof NotFoundException) {
            return ApiException.notFound(e.getMessage());
        }
        if (e instanceof RefusedException) {
            return new ApiException(409, CONFLICT, e.getMessage());
        }
        if (e instanceof CleanupBusyException b) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("holder", b.holder());
            extra.put("until", String.valueOf(b.until()));
            return new ApiException(409, BUSY, b.getMessage(), extra);
        }
        if (e instanceof ResultsUnavailableException r) {
            return r.status() == JobStatus.MISSING ? ApiException.notFound(r.getMessage())
                    : new ApiException(409, CONFLICT, r.getMessage(), Map.of("status", r.status().name()));
        }
        if (e instanceof HttpResponseException h) {
            if (h.getStatus() == 413) {
                return new ApiException(413, TOO_LARGE, "the request body is larger than the server accepts; send less at a time");
            }
            return new ApiException(h.getStatus(), h.getStatus() >= 500 ? INTERNAL : BAD_REQUEST, h.getMessage());
        }
        LOG.error("{} failed", route, e);
        return new ApiException(500, INTERNAL, "internal error; the server log has the details");
    }

    /** The JSON body of an error answer. */
    static Map<String, Object> body(ApiException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.code());
        m.put("message", e.getMessage());
        m.putAll(e.extra());
        return m;
    }
}
