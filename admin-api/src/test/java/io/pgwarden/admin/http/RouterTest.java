package io.pgwarden.admin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final Endpoint NOTHING = request -> CompletableFuture.completedFuture(null);

    private final Router router = new Router()
            .add(HttpMethod.GET, "/api/v1/cluster", Access.READ, NOTHING)
            .add(HttpMethod.POST, "/api/v1/nodes/{name}/fence", Access.MUTATE, NOTHING)
            .add(HttpMethod.DELETE, "/api/v1/sessions/{id}", Access.MUTATE, NOTHING)
            .add(HttpMethod.GET, "/api/v1/sessions", Access.READ, NOTHING);

    @Test
    void bindsNamedSegments() {
        Router.Match match = router.match(HttpMethod.POST, "/api/v1/nodes/pg2/fence");
        assertThat(match).isInstanceOf(Router.Found.class);
        assertThat(((Router.Found) match).parameters()).isEqualTo(Map.of("name", "pg2"));
        assertThat(((Router.Found) match).route().access()).isEqualTo(Access.MUTATE);
    }

    @Test
    void aTrailingSlashIsTheSamePath() {
        assertThat(router.match(HttpMethod.GET, "/api/v1/cluster/")).isInstanceOf(Router.Found.class);
    }

    @Test
    void aKnownPathUnderAnotherMethodIsAWrongMethodWithTheAllowedOnes() {
        Router.Match match = router.match(HttpMethod.PUT, "/api/v1/nodes/pg2/fence");
        assertThat(match).isEqualTo(new Router.WrongMethod(java.util.Set.of(HttpMethod.POST)));
        assertThat(router.match(HttpMethod.POST, "/api/v1/cluster"))
                .isEqualTo(new Router.WrongMethod(java.util.Set.of(HttpMethod.GET)));
    }

    @Test
    void unknownPathsAndEmptySegmentsAreNotFound() {
        assertThat(router.match(HttpMethod.GET, "/api/v2/cluster")).isInstanceOf(Router.NotFound.class);
        assertThat(router.match(HttpMethod.POST, "/api/v1/nodes//fence")).isInstanceOf(Router.NotFound.class);
        assertThat(router.match(HttpMethod.POST, "/api/v1/nodes/pg2/fence/now")).isInstanceOf(Router.NotFound.class);
        assertThat(router.match(HttpMethod.GET, "/")).isInstanceOf(Router.NotFound.class);
    }

    @Test
    void refusesADuplicateRoute() {
        assertThatThrownBy(() -> router.add(HttpMethod.GET, "/api/v1/cluster/", Access.READ, NOTHING))
                .hasMessageContaining("duplicate route");
    }
}
