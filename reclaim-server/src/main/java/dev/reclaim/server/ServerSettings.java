package dev.reclaim.server;

import dev.reclaim.InvalidArgumentException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

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
 */
public record ServerSettings(int port, String bind, int workerSlots, boolean cleanupService, long maxBodyBytes,
                             Duration maxWait) {
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

    public ServerSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(maxWait, "maxWait");
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
        private Duration maxWait = DEFAULT_MAX_WAIT;

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

        /** Longest blocking wait of one request, 1 s .. 5 min. */
        public Builder maxWait(Duration v) {
            if (v == null || v.compareTo(Duration.ofSeconds(1)) < 0 || v.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new InvalidArgumentException("max wait must be between 1s and 5m, got " + v);
            }
            maxWait = v;
            return this;
        }

        /** The settings. */
        public ServerSettings build() {
            return new ServerSettings(port, bind, workerSlots, cleanupService, maxBodyBytes, maxWait);
        }
    }
}
