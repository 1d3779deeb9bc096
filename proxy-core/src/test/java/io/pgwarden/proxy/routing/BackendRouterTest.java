package io.pgwarden.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.config.Balance;
import io.pgwarden.config.ListenerSettings;
import io.pgwarden.config.Route;
import io.pgwarden.proxy.topology.BackendNode;
import io.pgwarden.proxy.topology.Standby;
import io.pgwarden.proxy.topology.TopologySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackendRouterTest {

    private static final BackendNode PG1 = new BackendNode("pg1", "127.0.0.1", 5432);
    private static final BackendNode PG2 = new BackendNode("pg2", "127.0.0.1", 5433);
    private static final BackendNode PG3 = new BackendNode("pg3", "127.0.0.1", 5434);

    private static final TopologySnapshot HEALTHY =
            new TopologySnapshot(1, Optional.of(PG1), List.of(new Standby(PG2, true), new Standby(PG3, true)));
    private static final TopologySnapshot NO_PRIMARY =
            new TopologySnapshot(2, Optional.empty(), List.of(new Standby(PG2, true), new Standby(PG3, true)));
    private static final TopologySnapshot NO_HEALTHY_STANDBY =
            new TopologySnapshot(3, Optional.of(PG1), List.of(new Standby(PG2, false), new Standby(PG3, false)));

    private final NodeLoad load = new NodeLoad();
    private final DrainedNodes drained = new DrainedNodes();

    @Test
    void primaryListenerGoesToTheElectedPrimary() {
        BackendRouter router = router(Route.PRIMARY, Balance.ROUND_ROBIN, false);

        assertThat(router.select(HEALTHY)).contains(new RouteDecision(PG1, false));
        assertThat(router.select(NO_PRIMARY)).isEmpty();
    }

    @Test
    void roundRobinAlternatesOverHealthyStandbys() {
        BackendRouter router = router(Route.STANDBY, Balance.ROUND_ROBIN, false);

        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chosen.add(router.select(HEALTHY).orElseThrow().node().name());
        }

        assertThat(chosen).containsExactly("pg2", "pg3", "pg2", "pg3");
    }

    @Test
    void leastConnectionsPrefersTheLessLoadedStandby() {
        BackendRouter router = router(Route.STANDBY, Balance.LEAST_CONNECTIONS, false);
        load.bound(PG2);
        load.bound(PG2);
        load.bound(PG3);

        assertThat(router.select(HEALTHY).orElseThrow().node()).isEqualTo(PG3);
        load.bound(PG3);
        load.bound(PG3);
        assertThat(router.select(HEALTHY).orElseThrow().node()).isEqualTo(PG2);
    }

    @Test
    void standbyListenerFallsBackToThePrimaryOnlyWhenConfigured() {
        assertThat(router(Route.STANDBY, Balance.ROUND_ROBIN, true).select(NO_HEALTHY_STANDBY))
                .contains(new RouteDecision(PG1, true));
        assertThat(router(Route.STANDBY, Balance.ROUND_ROBIN, false).select(NO_HEALTHY_STANDBY)).isEmpty();
    }

    @Test
    void primarySessionLosesEligibilityWhenItsNodeIsNoLongerElected() {
        BackendRouter router = router(Route.PRIMARY, Balance.ROUND_ROBIN, false);
        TopologySnapshot switched = new TopologySnapshot(4, Optional.of(PG2), List.of(new Standby(PG3, true)));

        assertThat(router.eligible(PG1, HEALTHY)).isTrue();
        assertThat(router.eligible(PG1, NO_PRIMARY)).isFalse();
        assertThat(router.eligible(PG1, switched)).isFalse();
        assertThat(router.eligible(PG2, switched)).isTrue();
    }

    @Test
    void standbySessionLosesEligibilityWhenItsStandbyTurnsUnhealthyOrIsPromoted() {
        BackendRouter router = router(Route.STANDBY, Balance.ROUND_ROBIN, false);
        TopologySnapshot promoted = new TopologySnapshot(4, Optional.of(PG2), List.of(new Standby(PG3, true)));

        assertThat(router.eligible(PG2, HEALTHY)).isTrue();
        assertThat(router.eligible(PG2, NO_HEALTHY_STANDBY)).isFalse();
        assertThat(router.eligible(PG2, promoted)).isFalse();
        assertThat(router(Route.STANDBY, Balance.ROUND_ROBIN, true).eligible(PG2, promoted)).isTrue();
    }

    @Test
    void drainedStandbyGetsNoNewSessionsButKeepsItsOwn() {
        BackendRouter router = router(Route.STANDBY, Balance.ROUND_ROBIN, false);
        drained.drain("pg2");

        for (int i = 0; i < 4; i++) {
            assertThat(router.select(HEALTHY).orElseThrow().node()).isEqualTo(PG3);
        }
        assertThat(router.eligible(PG2, HEALTHY)).isTrue();

        drained.undrain("pg2");
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            chosen.add(router.select(HEALTHY).orElseThrow().node().name());
        }
        assertThat(chosen).containsExactlyInAnyOrder("pg2", "pg3");
    }

    @Test
    void allStandbysDrainedFallsBackToThePrimaryOnlyWhenConfiguredAndItIsNotDrainedToo() {
        drained.drain("pg2");
        drained.drain("pg3");

        assertThat(router(Route.STANDBY, Balance.LEAST_CONNECTIONS, false).select(HEALTHY)).isEmpty();
        assertThat(router(Route.STANDBY, Balance.LEAST_CONNECTIONS, true).select(HEALTHY))
                .contains(new RouteDecision(PG1, true));
        drained.drain("pg1");
        assertThat(router(Route.STANDBY, Balance.LEAST_CONNECTIONS, true).select(HEALTHY)).isEmpty();
    }

    @Test
    void drainedPrimaryHoldsNewWriteSessionsAndKeepsExistingOnes() {
        BackendRouter router = router(Route.PRIMARY, Balance.ROUND_ROBIN, false);
        drained.drain("pg1");

        assertThat(router.select(HEALTHY)).isEmpty();
        assertThat(router.eligible(PG1, HEALTHY)).isTrue();
        assertThat(drained.names()).containsExactly("pg1");
    }

    private BackendRouter router(Route route, Balance balance, boolean fallback) {
        return new BackendRouter(new ListenerSettings("l", "127.0.0.1", 0, route, balance, fallback), load, drained);
    }
}
