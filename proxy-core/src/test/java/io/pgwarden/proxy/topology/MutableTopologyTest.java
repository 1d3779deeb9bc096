package io.pgwarden.proxy.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgwarden.config.BackendSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MutableTopologyTest {

    private static final List<BackendSettings> BACKENDS = List.of(
            new BackendSettings("pg1", "127.0.0.1", 5432, 100),
            new BackendSettings("pg2", "127.0.0.1", 5433, 100),
            new BackendSettings("pg3", "127.0.0.1", 5434, 100));

    @Test
    void firstConfiguredBackendIsPrimaryAndTheOthersHealthyStandbys() {
        TopologySnapshot snapshot = MutableTopology.fromBackends(BACKENDS).current();

        assertThat(snapshot.primary()).contains(new BackendNode("pg1", "127.0.0.1", 5432));
        assertThat(snapshot.healthyStandbys()).extracting(BackendNode::name).containsExactly("pg2", "pg3");
        assertThat(snapshot.epoch()).isEqualTo(1);
    }

    @Test
    void electingAStandbyRemovesTheFormerPrimaryAndBumpsTheEpoch() {
        MutableTopology topology = MutableTopology.fromBackends(BACKENDS);

        TopologySnapshot next = topology.electPrimary("pg2");

        assertThat(next.primary().map(BackendNode::name)).contains("pg2");
        assertThat(next.standbys()).extracting(standby -> standby.node().name()).containsExactly("pg3");
        assertThat(next.node("pg1")).isEmpty();
        assertThat(next.epoch()).isEqualTo(2);
        assertThat(topology.current()).isEqualTo(next);
    }

    @Test
    void subscribersSeeEverySnapshotInOrderAndCurrentIsAlreadyUpdated() {
        MutableTopology topology = MutableTopology.fromBackends(BACKENDS);
        List<Long> seen = new ArrayList<>();
        List<Boolean> currentMatched = new ArrayList<>();
        topology.subscribe(snapshot -> {
            seen.add(snapshot.epoch());
            currentMatched.add(topology.current() == snapshot);
        });

        topology.clearPrimary();
        topology.setPrimary(new BackendNode("pg3", "127.0.0.1", 5434));
        topology.setStandbyHealth("pg2", false);

        assertThat(seen).containsExactly(2L, 3L, 4L);
        assertThat(currentMatched).containsOnly(true);
        assertThat(topology.current().primary().map(BackendNode::name)).contains("pg3");
        assertThat(topology.current().healthyStandbys()).isEmpty();
    }

    @Test
    void closedSubscriptionIsNotCalledAgain() {
        MutableTopology topology = MutableTopology.fromBackends(BACKENDS);
        List<Long> seen = new ArrayList<>();
        TopologySubscription subscription = topology.subscribe(snapshot -> seen.add(snapshot.epoch()));

        topology.clearPrimary();
        subscription.close();
        topology.setStandbyHealth("pg3", false);

        assertThat(seen).containsExactly(2L);
    }

    @Test
    void aNodeMayAppearOnlyOnce() {
        BackendNode pg1 = new BackendNode("pg1", "127.0.0.1", 5432);
        assertThatThrownBy(() -> new TopologySnapshot(1, java.util.Optional.of(pg1), List.of(new Standby(pg1, true))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pg1");
    }

    @Test
    void electingAnUnknownNodeFailsAndPublishesNothing() {
        MutableTopology topology = MutableTopology.fromBackends(BACKENDS);
        List<Long> seen = new ArrayList<>();
        topology.subscribe(snapshot -> seen.add(snapshot.epoch()));

        assertThatThrownBy(() -> topology.electPrimary("pg9")).hasMessageContaining("pg9");
        assertThat(seen).isEmpty();
        assertThat(topology.current().epoch()).isEqualTo(1);
    }
}
