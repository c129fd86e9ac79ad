package dev.reclaim.server;

import org.eclipse.jetty.http.HttpFields;

/**
 * Headers every answer carries, the UI's pages as much as API errors and Jetty's own: no MIME
 * sniffing, no framing, no referrer, and a Content-Security-Policy that allows only the server's
 * own scripts, styles and requests. The UI has no inline script, style or event handler, so the
 * policy needs no {@code 'unsafe-inline'}.
 */
final class SecurityHeaders {
    /** The Content-Security-Policy of every answer. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; "
            + "frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    /** Sets the headers, replacing any earlier values. */
    static void apply(HttpFields.Mutable headers) {
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        // Other sites may neither embed these answers (script or image tags) nor keep a handle on our window.
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
    }
}
