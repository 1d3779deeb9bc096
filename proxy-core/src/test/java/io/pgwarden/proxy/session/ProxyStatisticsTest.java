package io.pgwarden.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgwarden.protocol.SqlState;
import io.pgwarden.proxy.topology.BackendNode;
import io.pgwarden.proxy.topology.Standby;
import io.pgwarden.proxy.topology.TopologySnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProxyStatisticsTest {

    private static final BackendNode PG1 = new BackendNode("pg1", "127.0.0.1", 5432);
    private static final BackendNode PG2 = new BackendNode("pg2", "127.0.0.1", 5433);
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ProxyStatistics statistics = new ProxyStatistics(List.of("rw", "ro"), new SessionRegistry(),
            Clock.fixed(NOW, ZoneOffset.UTC), nanos::get);

    @Test
    void firstRouteAfterFailoverIsTimedFromThePublicationOfTheNewPrimary() {
        List<FirstRouteAfterFailover> seen = new ArrayList<>();
        statistics.onFirstRouteAfterFailover(seen::add);
        statistics.startedWith(snapshot(1, PG1, PG2));

        statistics.routed(PG1, NodeRole.PRIMARY);
        assertThat(statistics.lastFirstRouteAfterFailover()).isEmpty();

        statistics.topologyChanged(new TopologySnapshot(2, Optional.empty(), List.of(new Standby(PG2, true))));
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        statistics.topologyChanged(new TopologySnapshot(3, Optional.of(PG2), List.of()));
        nanos.addAndGet(Duration.ofMillis(7).toNanos());
        statistics.routed(PG2, NodeRole.PRIMARY);
        nanos.addAndGet(Duration.ofMillis(5).toNanos());
        statistics.routed(PG2, NodeRole.PRIMARY);

        FirstRouteAfterFailover expected = new FirstRouteAfterFailover("pg2", 3, Duration.ofMillis(7), NOW);
        assertThat(statistics.lastFirstRouteAfterFailover()).contains(expected);
        assertThat(seen).containsExactly(expected);
    }

    @Test
    void aStandbyRouteOrAnUnchangedPrimaryIsNoFirstRoute() {
        statistics.startedWith(snapshot(1, PG1, PG2));
        statistics.topologyChanged(snapshot(2, PG1, PG2));
        statistics.routed(PG1, NodeRole.PRIMARY);

        statistics.topologyChanged(snapshot(3, PG2, PG1));
        statistics.routed(PG1, NodeRole.STANDBY);
        assertThat(statistics.lastFirstRouteAfterFailover()).isEmpty();

        statistics.routed(PG2, NodeRole.PRIMARY);
        assertThat(statistics.lastFirstRouteAfterFailover()).map(FirstRouteAfterFailover::node).contains("pg2");
    }

    @Test
    void aFailingListenerDoesNotStopTheMeasurement() {
        statistics.onFirstRouteAfterFailover(first -> {
            throw new IllegalStateException("broken listener");
        });
        statistics.startedWith(new TopologySnapshot(1, Optional.empty(), List.of()));
        statistics.topologyChanged(snapshot(2, PG1, PG2));

        statistics.routed(PG1, NodeRole.PRIMARY);

        assertThat(statistics.lastFirstRouteAfterFailover()).isPresent();
    }

    @Test
    void routedSessionsAreCountedPerNodeAndRole() {
        statistics.routed(PG1, NodeRole.PRIMARY);
        statistics.routed(PG1, NodeRole.PRIMARY);
        statistics.routed(PG2, NodeRole.STANDBY);

        assertThat(statistics.routedSessions("pg1", NodeRole.PRIMARY)).isEqualTo(2);
        assertThat(statistics.routedSessions("pg1", NodeRole.STANDBY)).isZero();
        assertThat(statistics.routedSessions("pg3", NodeRole.PRIMARY)).isZero();
        assertThat(statistics.routedSessions()).isEqualTo(Map.of(
                "pg1", Map.of(NodeRole.PRIMARY, 2L, NodeRole.STANDBY, 0L),
                "pg2", Map.of(NodeRole.PRIMARY, 0L, NodeRole.STANDBY, 1L)));
    }

    @Test
    void errorsSentAreCountedByTheirSqlState() {
        statistics.errorSent("08P01");
        statistics.errorSent("08P01");
        statistics.errorSent("57P01");
        statistics.errorSent("ZZ999");

        assertThat(statistics.errorsSent(SqlState.PROTOCOL_VIOLATION)).isEqualTo(2);
        assertThat(statistics.errorsSent(SqlState.ADMIN_SHUTDOWN)).isEqualTo(1);
        assertThat(statistics.errorsSent()).containsEntry(SqlState.TOO_MANY_CONNECTIONS, 0L)
                .hasSize(SqlState.values().length);
    }

    @Test
    void listenerCountersAreKeptApartAndUnknownListenersAreRefused() {
        statistics.listenerCounters("rw").bytesFromClients.add(100);
        statistics.listenerCounters("ro").bytesFromClients.add(20);
        statistics.listenerCounters("ro").bytesToClients.add(7);
        statistics.listenerCounters("rw").rejected(RejectReason.CONNECTION_LIMIT).increment();

        assertThat(statistics.listeners()).containsExactly("rw", "ro");
        assertThat(statistics.bytesFromClients("rw")).isEqualTo(100);
        assertThat(statistics.bytesFromClients()).isEqualTo(120);
        assertThat(statistics.bytesToClients()).isEqualTo(7);
        assertThat(statistics.rejectedConnections("rw", RejectReason.CONNECTION_LIMIT)).isEqualTo(1);
        assertThat(statistics.rejectedConnections("ro", RejectReason.CONNECTION_LIMIT)).isZero();
        assertThat(statistics.clientConnections("rw")).containsEntry(SessionState.IDLE, 0)
                .doesNotContainKey(SessionState.CLOSED).hasSize(SessionState.values().length - 1);
        assertThat(statistics.backendSessions()).isEmpty();
        assertThatThrownBy(() -> statistics.acceptedConnections("nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
    }

    private static TopologySnapshot snapshot(long epoch, BackendNode primary, BackendNode standby) {
        return new TopologySnapshot(epoch, Optional.of(primary), List.of(new Standby(standby, true)));
    }
}
