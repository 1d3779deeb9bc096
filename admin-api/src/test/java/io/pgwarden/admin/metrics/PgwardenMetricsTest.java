package io.pgwarden.admin.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgwarden.admin.FakeCluster;
import io.pgwarden.admin.FakeProxy;
import io.pgwarden.admin.port.ProxyStats;
import io.pgwarden.admin.port.SessionState;
import io.pgwarden.health.action.ActionKind;
import io.pgwarden.health.action.ActionResult;
import io.pgwarden.health.action.ActionStatus;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.Outcome;
import io.pgwarden.health.event.Reason;
import io.pgwarden.health.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.LongAdder;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

public class PgwardenMetricsTest {

    private final FakeCluster cluster = new FakeCluster();
    private final FakeProxy proxy = new FakeProxy();
    private final PgwardenMetrics metrics = new PgwardenMetrics(strictRegistry(), cluster.topology(),
            cluster.events(), proxy);

    /** A registry that throws when a meter cannot be registered, instead of dropping it silently. */
    public static PrometheusMeterRegistry strictRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().onMeterRegistrationFailed((id, reason) -> {
            throw new IllegalStateException("meter " + id.getName() + " not registered: " + reason);
        });
        return registry;
    }

    @AfterEach
    void close() {
        metrics.close();
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(metrics.scrape());
    }

    @Test
    void proxyCountersAreReadLiveAndNewKeysAppearAtTheNextScrape() {
        proxy.connection("rw", SessionState.IDLE, 3);
        proxy.connection("rw", SessionState.HELD, 2);
        proxy.connection("ro", SessionState.HELD, 1);
        LongAdder routed = new LongAdder();
        routed.add(5);
        proxy.routed.put(new ProxyStats.RoutedTo("pg1", ProxyStats.ServedRole.PRIMARY), routed);
        proxy.received.computeIfAbsent("rw", key -> new LongAdder()).add(1024);
        proxy.sent.computeIfAbsent("rw", key -> new LongAdder()).add(4096);
        proxy.authFailures.computeIfAbsent("rw", key -> new LongAdder()).add(2);
        proxy.backendSessions.put("pg1", new java.util.concurrent.atomic.AtomicLong(3));

        PrometheusText first = scrape();
        assertThat(first.value("pgwarden_client_connections", Map.of("listener", "rw", "state", "idle"))).isEqualTo(3);
        assertThat(first.value("pgwarden_sessions_held", Map.of())).isEqualTo(3);
        assertThat(first.value("pgwarden_sessions_routed_total", Map.of("node", "pg1", "role", "primary"))).isEqualTo(5);
        assertThat(first.type("pgwarden_sessions_routed_total")).isEqualTo(MetricType.COUNTER);
        assertThat(first.value("pgwarden_client_received_bytes_total", Map.of("listener", "rw"))).isEqualTo(1024);
        assertThat(first.value("pgwarden_client_sent_bytes_total", Map.of("listener", "rw"))).isEqualTo(4096);
        assertThat(first.value("pgwarden_auth_failures_total", Map.of("listener", "rw"))).isEqualTo(2);
        assertThat(first.value("pgwarden_backend_sessions", Map.of("node", "pg1"))).isEqualTo(3);
        assertThat(first.family("pgwarden_protocol_errors_total")).isEmpty();

        routed.add(2);
        proxy.errors.computeIfAbsent("08P01", key -> new LongAdder()).increment();
        proxy.backendSessions.remove("pg1");
        PrometheusText second = scrape();
        assertThat(second.value("pgwarden_sessions_routed_total", Map.of("node", "pg1"))).isEqualTo(7);
        assertThat(second.value("pgwarden_protocol_errors_total", Map.of("sqlstate", "08P01"))).isEqualTo(1);
        assertThat(second.family("pgwarden_backend_sessions")).isEmpty();
    }

    @Test
    void backendGaugesFollowTheTopology() {
        PrometheusText before = scrape();
        assertThat(before.value("pgwarden_cluster_epoch", Map.of())).isEqualTo(1);
        assertThat(before.value("pgwarden_backend_role", Map.of("node", "pg1", "role", "primary"))).isEqualTo(1);
        assertThat(before.value("pgwarden_backend_role", Map.of("node", "pg1", "role", "standby"))).isZero();
        assertThat(before.value("pgwarden_backend_health", Map.of("node", "pg2", "health", "up"))).isEqualTo(1);
        assertThat(before.value("pgwarden_backend_elected_primary", Map.of("node", "pg1"))).isEqualTo(1);
        assertThat(before.value("pgwarden_replication_lag_bytes", Map.of("node", "pg2"))).isEqualTo(0x48);
        assertThat(before.value("pgwarden_replication_lag_seconds", Map.of("node", "pg2"))).isEqualTo(0.25);
        assertThat(before.value("pgwarden_replication_lag_bytes", Map.of("node", "pg1"))).isNaN();
        Histogram probes = before.histogram("pgwarden_probe_latency_seconds", Map.of("node", "pg3", "outcome", "success"));
        assertThat(probes.getSampleCount()).isEqualTo(1);
        assertThat(probes.getSampleSum()).isCloseTo(0.005, within(1e-9));

        Instant failedAt = FakeCluster.START.plusSeconds(1);
        Topology failed = FakeCluster.withFailedProbe(cluster.topology().current(), "pg1", failedAt, 2);
        cluster.topology().publish(failed);
        cluster.topology().publish(new Topology(failed.epoch(), 3, failed.primary(), failed.nodes(), failedAt));
        PrometheusText after = scrape();
        assertThat(after.value("pgwarden_backend_health", Map.of("node", "pg1", "health", "suspect"))).isEqualTo(1);
        assertThat(after.value("pgwarden_backend_health", Map.of("node", "pg1", "health", "up"))).isZero();
        assertThat(after.histogram("pgwarden_probe_latency_seconds", Map.of("node", "pg1", "outcome", "failure"))
                .getSampleCount()).as("a republished snapshot records no probe twice").isEqualTo(1);
        assertThat(after.histogram("pgwarden_probe_latency_seconds", Map.of("node", "pg1", "outcome", "success"))
                .getSampleCount()).isEqualTo(1);

        cluster.topology().publish(new Topology(2, 4, Optional.of("pg2"),
                failed.nodes().stream().filter(node -> !node.name().equals("pg3")).toList(), failedAt));
        PrometheusText shrunk = scrape();
        assertThat(shrunk.value("pgwarden_cluster_epoch", Map.of())).isEqualTo(2);
        assertThat(shrunk.value("pgwarden_backend_elected_primary", Map.of("node", "pg2"))).isEqualTo(1);
        assertThat(shrunk.family("pgwarden_backend_role").orElseThrow().getMetrics())
                .allSatisfy(metric -> assertThat(metric.getLabels().get("node")).isNotEqualTo("pg3"));
    }

    @Test
    void aFailoverIsCountedWithTheDurationOfEachPhase() {
        PrometheusText idle = scrape();
        assertThat(idle.value("pgwarden_failovers_total", Map.of("kind", "failover", "outcome", "succeeded"))).isZero();
        assertThat(idle.histogram("pgwarden_failover_phase_seconds", Map.of("kind", "failover", "phase", "detect"))
                .getSampleCount()).isZero();

        record(EventKind.NODE_HEALTH_CHANGED, "pg1", Reason.PROBE_FAILED, Outcome.OBSERVED, Optional.empty());
        cluster.time.advance(Duration.ofMillis(750));
        record(EventKind.PRIMARY_LOST, "pg1", Reason.PRIMARY_DOWN, Outcome.OBSERVED, Optional.empty());
        cluster.time.advance(Duration.ofSeconds(5));
        record(EventKind.FAILOVER_STARTED, "pg1", Reason.OPERATOR_REQUEST, Outcome.OBSERVED, Optional.empty());
        cluster.time.advance(Duration.ofMillis(100));
        record(EventKind.NODE_FENCED, "pg1", Reason.OPERATOR_REQUEST, Outcome.SUCCEEDED, Optional.empty());
        cluster.time.advance(Duration.ofMillis(400));
        record(EventKind.ACTION_COMPLETED, "pg2", Reason.PROMOTED, Outcome.SUCCEEDED, Optional.of(new ActionResult(
                ActionKind.PROMOTE, "built-in pg_promote()", ActionStatus.SUCCEEDED, OptionalInt.empty(), "",
                Duration.ofMillis(300))));
        cluster.time.advance(Duration.ofMillis(200));
        record(EventKind.PRIMARY_ELECTED, "pg2", Reason.PROMOTED, Outcome.SUCCEEDED, Optional.empty());
        Instant elected = cluster.time.now();
        record(EventKind.FAILOVER_COMPLETED, "pg2", Reason.PROMOTED, Outcome.SUCCEEDED, Optional.empty());
        metrics.recordFirstRoute("pg3", elected.plusMillis(10));
        metrics.recordFirstRoute("pg2", elected.plusMillis(40));
        metrics.recordFirstRoute("pg2", elected.plusMillis(900));

        PrometheusText after = scrape();
        assertThat(after.value("pgwarden_failovers_total", Map.of("kind", "failover", "outcome", "succeeded"))).isEqualTo(1);
        assertThat(after.value("pgwarden_failovers_total", Map.of("kind", "switchover", "outcome", "succeeded"))).isZero();
        assertPhase(after, "detect", 0.75);
        assertPhase(after, "fence", 0.2);
        assertPhase(after, "promote", 0.5);
        assertPhase(after, "first-route", 0.04);
        Histogram duration = after.histogram("pgwarden_failover_duration_seconds",
                Map.of("kind", "failover", "outcome", "succeeded"));
        assertThat(duration.getSampleCount()).isEqualTo(1);
        assertThat(duration.getSampleSum()).isCloseTo(0.7, within(1e-9));
    }

    @Test
    void refusalsAndRoguePrimariesAreCounted() {
        record(EventKind.SWITCHOVER_FAILED, "pg1", Reason.NOT_HEALTHY, Outcome.REFUSED, Optional.empty());
        record(EventKind.ROGUE_PRIMARY, "pg3", Reason.WRITABLE_WITHOUT_ELECTION, Outcome.REFUSED, Optional.empty());
        record(EventKind.ROGUE_PRIMARY, "pg3", Reason.WRITABLE_WITHOUT_ELECTION, Outcome.REFUSED, Optional.empty());

        PrometheusText after = scrape();
        assertThat(after.value("pgwarden_failovers_total", Map.of("kind", "switchover", "outcome", "refused"))).isEqualTo(1);
        assertThat(after.family("pgwarden_failover_duration_seconds").orElseThrow().getMetrics()).as("nothing ran")
                .allSatisfy(metric -> assertThat(((Histogram) metric).getSampleCount()).isZero());
        assertThat(after.value("pgwarden_rogue_primaries_detected_total", Map.of("node", "pg3"))).isEqualTo(2);
    }

    @Test
    void jvmAndNettyMetricsAreThere() {
        PrometheusText all = scrape();
        List<String> names = all.families().stream().map(family -> family.getName()).toList();
        assertThat(names).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                "process_files_open_files", "system_cpu_count");
        assertThat(names).anyMatch(name -> name.startsWith("jvm_gc_"));
        assertThat(names).anyMatch(name -> name.startsWith("netty_allocator_"));
        io.netty.channel.nio.NioEventLoopGroup group = new io.netty.channel.nio.NioEventLoopGroup(1);
        try {
            metrics.bindEventLoops(group);
            metrics.bindEventLoops(group);
            assertThat(scrape().family("netty_eventexecutor_tasks_pending")).isPresent();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void assertPhase(PrometheusText scrape, String phase, double seconds) {
        Histogram histogram = scrape.histogram("pgwarden_failover_phase_seconds",
                Map.of("kind", "failover", "phase", phase));
        assertThat(histogram.getSampleCount()).as(phase).isEqualTo(1);
        assertThat(histogram.getSampleSum()).as(phase).isCloseTo(seconds, within(1e-9));
    }

    private void record(EventKind kind, String node, Reason reason, Outcome outcome, Optional<ActionResult> action) {
        cluster.events().record(cluster.topology().current().epoch(), kind, Optional.of(node), reason, outcome, kind.name(),
                action);
    }
}
