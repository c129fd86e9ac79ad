package dev.reclaim.server;

import java.time.Duration;
import java.util.Map;

/**
 * An answer other than success, with its HTTP status, a stable machine-readable code and a message
 * that says what to do. Extra fields (e.g. the lease holder of a busy cleanup) go into the body.
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> extra;
    private final Map<String, String> headers;

    ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    ApiException(int status, String code, String message, Map<String, Object> extra) {
        this(status, code, message, extra, Map.of());
    }

    ApiException(int status, String code, String message, Map<String, Object> extra, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = Map.copyOf(extra);
        this.headers = Map.copyOf(headers);
    }

    /** Headers the answer carries besides the body (Retry-After of a 503). */
    Map<String, String> headers() {
        return headers;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, Object> extra() {
        return extra;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, Errors.BAD_REQUEST, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, Errors.NOT_FOUND, message);
    }

    /**
     * 503: the request was valid but the store cannot answer it now; {@code Retry-After} says when
     * to try again, in whole seconds (at least 1).
     */
    static ApiException unavailable(String message, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new ApiException(503, Errors.UNAVAILABLE, message, Map.of(), Map.of("Retry-After", String.valueOf(seconds)));
    }

    static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }
}
