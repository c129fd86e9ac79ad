package dev.reclaim.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reclaim.Reclaim;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.store.fs.FileArtifactStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real server for tests: a SQLite file and a filesystem artifact store in a temporary home,
 * listening on a free loopback port, called over real HTTP.
 */
final class ServerFixture implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();

    final Path home;
    final Reclaim reclaim;
    final ReclaimServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Sent as the bearer token when set. */
    String token;

    private ServerFixture(Path home, ServerSettings settings, Clock clock) {
        this.home = home;
        this.reclaim = open(home, clock);
        this.server = new ReclaimServer(reclaim, settings);
    }

    static Reclaim open(Path home) {
        return open(home, Clock.systemUTC());
    }

    /** A Reclaim instance on the home whose every timestamp comes from {@code clock}. */
    static Reclaim open(Path home, Clock clock) {
        return Reclaim.builder().taskStore(JdbcTaskStore.openSqlite(home.resolve("reclaim.db")))
                .artifactStore(FileArtifactStore.open(home.resolve("artifacts")))
                .stagingRoot(home.resolve("staging")).meterRegistry(ReclaimServer.newMeterRegistry()).clock(clock).build();
    }

    /** A started server with one worker slot and no background cleanup. */
    static ServerFixture start(Path home) {
        return start(home, ServerSettings.builder().port(0).workerSlots(1).build());
    }

    static ServerFixture start(Path home, ServerSettings settings) {
        return start(home, settings, Clock.systemUTC());
    }

    /** A started server whose clock the test sets (tasks archived "long ago" without waiting). */
    static ServerFixture start(Path home, ServerSettings settings, Clock clock) {
        ServerFixture f = new ServerFixture(home, settings, clock);
        f.server.start();
        return f;
    }

    /** An answer: status, raw body, and the body as JSON when it is JSON. */
    record Answer(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String error() {
            return json().path("error").asText();
        }
    }

    Answer get(String path) {
        return send("GET", path, (String) null);
    }

    Answer post(String path, String json) {
        return send("POST", path, json);
    }

    Answer put(String path, String json) {
        return send("PUT", path, json);
    }

    Answer delete(String path) {
        return send("DELETE", path, (String) null);
    }

    Answer send(String method, String path, String json) {
        return sendBody(method, path, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    }

    Answer sendBody(String method, String path, HttpRequest.BodyPublisher body) {
        return sendBody(method, path, body, Map.of("Content-Type", "application/json"));
    }

    /** Sends raw bytes (an upload) with {@code Content-Type: application/octet-stream} and {@code headers}. */
    Answer sendBytes(String method, String path, byte[] bytes, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(Map.of("Content-Type", "application/octet-stream"));
        all.putAll(headers);
        return sendBody(method, path, HttpRequest.BodyPublishers.ofByteArray(bytes), all);
    }

    Answer sendBody(String method, String path, HttpRequest.BodyPublisher body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60)).method(method, body);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Bytes of a download. */
    byte[] download(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new AssertionError("download " + path + ": " + r.statusCode() + " " + new String(r.body()));
            }
            return r.body();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            reclaim.close();
        }
    }
}
