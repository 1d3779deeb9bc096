package io.pgwarden.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.ClusterFixture;
import io.pgwarden.health.TimeSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbcNodeProbeIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(
            ClusterSettings.builder().standbys(1).build());

    private static final Duration TIMEOUT = Duration.ofMillis(400);

    private MonitorConnector connector;

    @BeforeEach
    void connector() {
        connector = new MonitorConnector(ClusterFixture.monitor(PG.cluster()), ClusterFixture.noTls(),
                Duration.ofMillis(400));
    }

    @AfterEach
    void close() {
        connector.close();
    }

    private JdbcNodeProbe probe(LocalNode node) {
        return new JdbcNodeProbe(ClusterFixture.backend(node, 100), connector, TIMEOUT, TimeSource.system());
    }

    @Test
    void readsTheRoleWalPositionsTimelineAndUpstreamOfRealServers() {
        LocalCluster cluster = PG.cluster();
        LocalNode primary = cluster.primary();
        LocalNode standby = cluster.standbys().get(0);
        primary.execute("CREATE TABLE IF NOT EXISTS probe_target (id int); INSERT INTO probe_target VALUES (1)");
        cluster.awaitReplayed(Duration.ofSeconds(10));

        try (JdbcNodeProbe primaryProbe = probe(primary); JdbcNodeProbe standbyProbe = probe(standby)) {
            ProbeObservation onPrimary = ((ProbeSuccess) primaryProbe.probe()).observation();
            assertThat(onPrimary.inRecovery()).isFalse();
            assertThat(onPrimary.currentLsn()).isPresent();
            assertThat(onPrimary.receiveLsn()).isEmpty();
            assertThat(onPrimary.timeline()).hasValue(1);
            assertThat(onPrimary.walReceiver()).isEmpty();
            assertThat(onPrimary.defaultTransactionReadOnly()).isFalse();

            ProbeObservation onStandby = ((ProbeSuccess) standbyProbe.probe()).observation();
            assertThat(onStandby.inRecovery()).isTrue();
            assertThat(onStandby.currentLsn()).isEmpty();
            assertThat(onStandby.receiveLsn()).isPresent();
            assertThat(onStandby.replayLsn().orElseThrow()).isLessThanOrEqualTo(onPrimary.currentLsn().orElseThrow());
            assertThat(onStandby.timeline()).hasValue(1);
            assertThat(onStandby.replayLag()).contains(Duration.ZERO);
            WalReceiverStatus receiver = onStandby.walReceiver().orElseThrow();
            assertThat(receiver.streaming()).isTrue();
            assertThat(receiver.streamsFrom(primary.host(), primary.port())).isTrue();
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersFailsAtTheDeadline() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            BackendSettings hung = new BackendSettings("hung", "127.0.0.1", silent.getLocalPort(), 1);
            try (JdbcNodeProbe probe = new JdbcNodeProbe(hung, connector, TIMEOUT, TimeSource.system())) {
                long start = System.nanoTime();
                ProbeOutcome outcome = probe.probe();
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(outcome).isInstanceOfSatisfying(ProbeFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(ProbeFailure.Kind.TIMEOUT));
                // Deadline of a probe that must connect first: connect-timeout + timeout = 800 ms.
                assertThat(took).isBetween(Duration.ofMillis(750), Duration.ofMillis(1500));
                assertThat(accepted).isNotEmpty();

                // The connect attempt still hangs in pgjdbc: the next probe waits one timeout for it and
                // then fails, so a stall counts as one failure per timeout, not one per interval.
                long again = System.nanoTime();
                assertThat(probe.probe()).isInstanceOf(ProbeFailure.class);
                assertThat(Duration.ofNanos(System.nanoTime() - again))
                        .isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusMillis(1000));
            }
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void aHungBackendDoesNotDelayTheProbesOfOthers() throws IOException {
        LocalNode primary = PG.cluster().primary();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            BackendSettings hung = new BackendSettings("hung", "127.0.0.1", silent.getLocalPort(), 1);
            List<String> healthy = new CopyOnWriteArrayList<>();
            List<ProbeOutcome> hungOutcomes = new CopyOnWriteArrayList<>();
            Map<String, NodeProbe> probes = Map.of(
                    "hung", new JdbcNodeProbe(hung, connector, TIMEOUT, TimeSource.system()),
                    primary.name(), probe(primary));
            try (ProbeScheduler scheduler = new ProbeScheduler(probes, Duration.ofMillis(100), (name, outcome) -> {
                if (name.equals("hung")) {
                    hungOutcomes.add(outcome);
                } else if (outcome instanceof ProbeSuccess) {
                    healthy.add(name);
                }
            })) {
                long start = System.nanoTime();
                scheduler.start();
                await().atMost(Duration.ofSeconds(5)).until(() -> healthy.size() >= 10);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                // Ten probes at a 100 ms interval: about a second, however long the hung probes wait.
                assertThat(took).isLessThan(Duration.ofMillis(2500));
                assertThat(hungOutcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(ProbeFailure.class));
            }
        }
    }

    @Test
    void aStoppedServerIsDetectedByTheTimeoutAndFoundAgainAfterSigcont() {
        LocalNode standby = PG.cluster().standbys().get(0);
        try (JdbcNodeProbe probe = probe(standby)) {
            assertThat(probe.probe()).isInstanceOf(ProbeSuccess.class);
            standby.sigstop();
            try {
                long start = System.nanoTime();
                ProbeOutcome outcome = probe.probe();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(outcome).isInstanceOfSatisfying(ProbeFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(ProbeFailure.Kind.TIMEOUT));
                assertThat(took).isBetween(TIMEOUT, TIMEOUT.plusMillis(300));
            } finally {
                standby.sigcont();
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> probe.probe() instanceof ProbeSuccess);
        }
    }
}
