package dev.reclaim.server;

import java.util.Map;

/**
 * An answer other than success, with its HTTP status, a stable machine-readable code and a message
 * that says what to do. Extra fields (e.g. the lease holder of a busy cleanup) go into the body.
 */
final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> extra;

    ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    ApiException(int status, String code, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = Map.copyOf(extra);
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

    static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }
}
