package dev.reclaim.server;

import dev.reclaim.InvalidArgumentException;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link ReclaimServer}. Immutable; build with {@link #builder()}, values are
 * validated as they are set (a bad value is an error, never replaced by a default).
 *
 * @param port            TCP port; 0 picks a free one (tests)
 * @param bind            address to listen on; loopback unless given
 * @param workerSlots     jobs this process runs at once on the default queue; 0 runs no worker
 * @param cleanupService  run the Cleanup Service every period in the background
 * @param maxBodyBytes    largest request body accepted; larger is answered 413
 * @param maxWait         longest a request may block waiting for a job (wait and submit-and-wait)
 * @param publicUrl       the URL people and proxies reach the server under ({@code https://reclaim.example.org});
 *                        its host is served and its origin may change state; null when none
 * @param allowedHosts    further host names the server answers to (lower case), besides its bind address and,
 *                        on loopback, {@code localhost}, {@code 127.0.0.1} and {@code [::1]}
 * @param shutdownGrace   on stop, how long requests in flight, running jobs and the current cleanup batch get to
 *                        finish before they are canceled and the stores closed
 * @param maxBatchBodyBytes largest JSON body of a batch route ({@code POST /tasks/batch},
 *                        {@code /tasks/artifacts/batch}); larger is answered 413
 * @param maxUploadBytes  largest artifact a streamed upload may store; larger is answered 413 and nothing is kept
 */
public record ServerSettings(int port, String bind, int workerSlots, boolean cleanupService, long maxBodyBytes,
                             Duration maxWait, URI publicUrl, Set<String> allowedHosts, Duration shutdownGrace,
                             long maxBatchBodyBytes, long maxUploadBytes) {
    /** Default port. */
    public static final int DEFAULT_PORT = 8080;
    /** Default bind address: loopback only, so nothing is exposed by accident. */
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** Default worker slots. */
    public static final int DEFAULT_WORKER_SLOTS = 2;
    /** Default largest request body: 1 MiB (bodies are small JSON documents). */
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /**
     * Default and largest wait of one request: 25 s, under the usual 30 s idle timeouts of
     * proxies and of Jetty, so a waiting client polls instead of holding a connection open.
     */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(25);
    /** Default {@link #maxBatchBodyBytes}: 32 MiB, room for 10,000 items of a few hundred bytes each. */
    public static final long DEFAULT_MAX_BATCH_BODY_BYTES = 32L * 1024 * 1024;
    /** Default {@link #maxUploadBytes}: 10 GiB, a large model checkpoint. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 10L * 1024 * 1024 * 1024;
    /** Default {@link #shutdownGrace}: as long as a worker gives its running jobs. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    public ServerSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(maxWait, "maxWait");
        // Kept in the order given: messages list the names as the operator wrote them.
        allowedHosts = Collections.unmodifiableSet(new LinkedHashSet<>(allowedHosts));
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static ServerSettings defaults() {
        return builder().build();
    }

    /** True when {@link #bind} is a loopback address (only this machine can connect). */
    public boolean bindsLoopback() {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Builder with validation as values are set. */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private String bind = DEFAULT_BIND;
        private int workerSlots = DEFAULT_WORKER_SLOTS;
        private boolean cleanupService;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private long maxBatchBodyBytes = DEFAULT_MAX_BATCH_BODY_BYTES;
        private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private URI publicUrl;
        private Set<String> allowedHosts = Set.of();
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;

        private Builder() {
        }

        /** TCP port 0..65535; 0 picks a free port. */
        public Builder port(int v) {
            if (v < 0 || v > 65535) {
                throw new InvalidArgumentException("port must be between 0 and 65535 (0 picks a free port), got " + v);
            }
            port = v;
            return this;
        }

        /** Address to listen on, e.g. 127.0.0.1 (default), 0.0.0.0 or a host name. */
        public Builder bind(String v) {
            if (v == null || v.isBlank()) {
                throw new InvalidArgumentException("bind address must not be empty; e.g. 127.0.0.1 or 0.0.0.0");
            }
            try {
                InetAddress.getByName(v.trim());
            } catch (UnknownHostException e) {
                throw new InvalidArgumentException("bind address '" + v + "' does not resolve; give an IP address such as 127.0.0.1 or 0.0.0.0");
            }
            bind = v.trim();
            return this;
        }

        /** Worker slots on the default queue, 0..256 (0: this process runs no jobs). */
        public Builder workerSlots(int v) {
            if (v < 0 || v > 256) {
                throw new InvalidArgumentException("workers must be between 0 and 256, got " + v);
            }
            workerSlots = v;
            return this;
        }

        /** Run the Cleanup Service in the background. */
        public Builder cleanupService(boolean v) {
            cleanupService = v;
            return this;
        }

        /** Largest request body, 1 KiB .. 64 MiB. */
        public Builder maxBodyBytes(long v) {
            if (v < 1024 || v > 64L * 1024 * 1024) {
                throw new InvalidArgumentException("max body size must be between 1 KiB and 64 MiB, got " + v + " bytes");
            }
            maxBodyBytes = v;
            return this;
        }

        /** Largest JSON body of a batch route, 1 KiB .. 256 MiB. */
        public Builder maxBatchBodyBytes(long v) {
            if (v < 1024 || v > 256L * 1024 * 1024) {
                throw new InvalidArgumentException("max batch body size must be between 1 KiB and 256 MiB, got " + v + " bytes");
            }
            maxBatchBodyBytes = v;
            return this;
        }

        /** Largest artifact a streamed upload may store, at least 1 byte. */
        public Builder maxUploadBytes(long v) {
            if (v < 1) {
                throw new InvalidArgumentException("max upload size must be at least 1 byte, got " + v + " bytes");
            }
            maxUploadBytes = v;
            return this;
        }

        /** Longest blocking wait of one request, 1 s .. 5 min. */
        public Builder maxWait(Duration v) {
            if (v == null || v.compareTo(Duration.ofSeconds(1)) < 0 || v.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new InvalidArgumentException("max wait must be between 1s and 5m, got " + v);
            }
            maxWait = v;
            return this;
        }

        /**
         * The URL the server is reached under when that is not its bind address (a proxy, a DNS name):
         * an absolute {@code http} or {@code https} URL without user info, query or fragment; null for none.
         */
        public Builder publicUrl(String v) {
            if (v == null || v.isBlank()) {
                publicUrl = null;
                return this;
            }
            URI u;
            try {
                u = new URI(v.trim());
            } catch (URISyntaxException e) {
                u = null;
            }
            if (u == null || u.getHost() == null || !("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))
                    || u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
                throw new InvalidArgumentException("public URL '" + v + "' is not an absolute http(s) URL; write e.g. "
                        + "https://reclaim.example.org or http://build-box:8080");
            }
            publicUrl = u;
            return this;
        }

        /**
         * Further host names (or IP addresses) the server answers to, e.g. {@code build-box.lan}; a
         * request naming any other host is refused, which stops DNS rebinding.
         */
        public Builder allowedHosts(Collection<String> v) {
            Set<String> out = new LinkedHashSet<>();
            for (String h : v) {
                out.add(HostNames.checkAllowed(h));
            }
            allowedHosts = out;
            return this;
        }

        /** How long stopping waits for requests, jobs and the current cleanup batch, 0 s .. 5 min. */
        public Builder shutdownGrace(Duration v) {
            if (v == null || v.isNegative() || v.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new InvalidArgumentException("shutdown grace must be between 0s and 5m, got " + v);
            }
            shutdownGrace = v;
            return this;
        }

        /** The settings. */
        public ServerSettings build() {
            return new ServerSettings(port, bind, workerSlots, cleanupService, maxBodyBytes, maxWait, publicUrl, allowedHosts,
                    shutdownGrace, maxBatchBodyBytes, maxUploadBytes);
        }
    }
}
