package dev.reclaim.server;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.testkit.SettableClock;
import dev.reclaim.tokens.ApiTokens;
import dev.reclaim.tokens.Role;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bearer tokens and roles on representative read, operator and admin routes. */
class AuthApiTest {
    private static final String READ = "/api/v1/tasks";
    private static final String OPERATE = "/api/v1/tasks/archive";
    private static final String ADMINISTER = "/api/v1/cleanup/settings";

    @TempDir
    Path home;
    ServerFixture f;
    String viewer;
    String operator;
    String admin;
    String taskId;

    @BeforeEach
    void start() {
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build());
        taskId = f.post("/api/v1/tasks", "{\"name\": \"t\"}").json().path("id").asText(); // open access: no token yet
        viewer = f.server.tokens().create("v", Role.VIEWER).token();
        operator = f.server.tokens().create("o", Role.OPERATOR).token();
        admin = f.server.tokens().create("a", Role.ADMIN).token();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private int as(String token, String method, String path, String body) {
        f.token = token;
        return f.send(method, path, body).status();
    }

    private String archive() {
        return "{\"ids\": [\"" + taskId + "\"]}";
    }

    @Test
    void withoutAValidTokenEveryProtectedRouteIsUnauthorized() {
        ServerFixture.Answer none = f.get(READ);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).isEqualTo("unauthorized");
        assertThat(none.json().path("message").asText()).contains("Authorization: Bearer");
        assertThat(as("rcl_garbage", "GET", READ, null)).isEqualTo(401);
        assertThat(as(viewer.substring(0, viewer.length() - 2) + "xx", "GET", READ, null)).isEqualTo(401);
        assertThat(as(null, "GET", "/metrics", null)).isEqualTo(401);
        assertThat(as(null, "GET", "/health", null)).isEqualTo(200);
        assertThat(as(null, "GET", "/openapi.json", null)).isEqualTo(200);
    }

    @Test
    void aViewerReadsButCannotOperateOrAdminister() {
        assertThat(as(viewer, "GET", READ, null)).isEqualTo(200);
        assertThat(as(viewer, "GET", "/metrics", null)).isEqualTo(200);
        assertThat(as(viewer, "POST", OPERATE, archive())).isEqualTo(403);
        ServerFixture.Answer forbidden = f.send("PUT", ADMINISTER, "{\"settings\": {\"keep_last\": \"1\"}}");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().path("message").asText()).contains("needs role admin").contains("'v' has role viewer");
        assertThat(f.reclaim.tasks().get(taskId).isArchived()).isFalse();
    }

    @Test
    void anOperatorOperatesButCannotAdminister() {
        assertThat(as(operator, "GET", READ, null)).isEqualTo(200);
        assertThat(as(operator, "POST", OPERATE, archive())).isEqualTo(200);
        assertThat(as(operator, "PUT", ADMINISTER, "{\"settings\": {\"keep_last\": \"1\"}}")).isEqualTo(403);
        assertThat(as(operator, "GET", "/api/v1/tokens", null)).isEqualTo(403);
    }

    @Test
    void anAdminDoesEverythingAndManagesTokensWithoutSeeingSecrets() {
        assertThat(as(admin, "GET", READ, null)).isEqualTo(200);
        assertThat(as(admin, "POST", OPERATE, archive())).isEqualTo(200);
        assertThat(as(admin, "PUT", ADMINISTER, "{\"settings\": {\"keep_last\": \"1\"}}")).isEqualTo(200);

        ServerFixture.Answer created = f.post("/api/v1/tokens", "{\"name\": \"ci\", \"role\": \"viewer\"}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("token").asText();
        assertThat(secret).startsWith(ApiTokens.PREFIX);
        ServerFixture.Answer list = f.get("/api/v1/tokens");
        assertThat(list.body()).doesNotContain(secret).doesNotContain(ApiTokens.hash(secret)).contains("\"ci\"");

        assertThat(f.delete("/api/v1/tokens/ci").json().path("revoked").asBoolean()).isTrue();
        assertThat(as(secret, "GET", READ, null)).isEqualTo(401);
        f.token = admin;
        assertThat(f.delete("/api/v1/tokens/ci").status()).isEqualTo(404);
    }

    @Test
    void tokensAreStoredOnlyAsHashesAndTheirUseIsRecorded() {
        assertThat(f.reclaim.taskStore().apiTokens()).allSatisfy(t -> assertThat(t.secretHash()).hasSize(64));
        assertThat(f.reclaim.taskStore().apiTokens().toString()).doesNotContain(viewer);
        as(viewer, "GET", READ, null);
        assertThat(f.server.tokens().find("v").orElseThrow().lastUsedAt()).isNotNull();
    }

    @Test
    void revokingEveryTokenOnLoopbackReopensAccessForDevelopment() {
        f.server.tokens().list().forEach(t -> f.server.tokens().revoke(t.id()));
        assertThat(f.server.openAccess()).isTrue();
        assertThat(as(null, "GET", READ, null)).isEqualTo(200);
    }

    @Test
    void listeningBeyondLoopbackWithoutATokenIsRefusedWithHowToCreateOne(@TempDir Path other) {
        try (Reclaim r = ServerFixture.open(other)) {
            ReclaimServer s = new ReclaimServer(r, ServerSettings.builder().port(0).workerSlots(0).build());
            assertThatThrownBy(() -> s.start(0, "0.0.0.0")).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("reclaim tokens create --name NAME --role admin");
            new ApiTokens(r.taskStore(), r.clock()).create("ops", Role.ADMIN);
            s.start(0, "0.0.0.0");
            try {
                assertThat(s.openAccess()).isFalse();
            } finally {
                s.stop();
            }
        }
    }

    @Test
    void aTokenCreatedByAnotherProcessEndsOpenLoopbackAccessWithinASecond(@TempDir Path other) {
        SettableClock clock = new SettableClock();
        try (ServerFixture g = ServerFixture.start(other, ServerSettings.builder().port(0).workerSlots(0).build(), clock)) {
            assertThat(g.get(READ).status()).isEqualTo(200);
            // As `reclaim tokens create` in another process: its own ApiTokens on the shared store.
            new ApiTokens(g.reclaim.taskStore(), g.reclaim.clock()).create("ops", Role.ADMIN);
            assertThat(g.get(READ).status()).as("the last read of the token count is trusted for a second").isEqualTo(200);

            clock.advance(ApiTokens.ACTIVE_CACHE_FOR);

            assertThat(g.get(READ).status()).isEqualTo(401);
        }
    }

    @Test
    void aClockSetBackDoesNotKeepAnOldTokenCount(@TempDir Path other) {
        SettableClock clock = new SettableClock();
        try (ServerFixture g = ServerFixture.start(other, ServerSettings.builder().port(0).workerSlots(0).build(), clock)) {
            assertThat(g.get(READ).status()).isEqualTo(200);
            new ApiTokens(g.reclaim.taskStore(), g.reclaim.clock()).create("ops", Role.ADMIN);

            clock.advance(Duration.ofHours(-1)); // e.g. an NTP step back

            assertThat(g.get(READ).status()).isEqualTo(401);
        }
    }
}
