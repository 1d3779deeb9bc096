package io.pgwarden.health.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.config.BackendSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopologyPublisherTest {

    private static Topology topology(long version) {
        return new Topology(1, version, Optional.empty(),
                List.of(NodeState.initial(new BackendSettings("pg1", "127.0.0.1", 5432, 1))), Instant.EPOCH);
    }

    @Test
    void aSubscriberGetsTheCurrentSnapshotAtOnceThenEveryNewOneInOrder() {
        TopologyPublisher publisher = new TopologyPublisher(topology(1));
        List<Long> seen = new ArrayList<>();
        TopologySource.Subscription subscription = publisher.subscribe(topology -> seen.add(topology.version()));
        publisher.publish(topology(2));
        publisher.publish(topology(3));
        subscription.close();
        publisher.publish(topology(4));

        assertThat(seen).containsExactly(1L, 2L, 3L);
        assertThat(publisher.current().version()).isEqualTo(4);
    }

    @Test
    void aFailingSubscriberDoesNotStopTheOthers() {
        TopologyPublisher publisher = new TopologyPublisher(topology(1));
        List<Long> seen = new ArrayList<>();
        publisher.subscribe(topology -> {
            throw new IllegalStateException("broken listener");
        });
        publisher.subscribe(topology -> seen.add(topology.version()));
        publisher.publish(topology(2));
        assertThat(seen).containsExactly(1L, 2L);
    }
}
