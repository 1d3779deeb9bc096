package io.pgwarden.admin.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgwarden.admin.FakeCluster;
import io.pgwarden.admin.FakeProxy;
import io.pgwarden.admin.port.ProxyStats;
import io.pgwarden.admin.port.SessionState;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.Outcome;
import io.pgwarden.health.event.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/metrics.md and the meters registered must list the same pgwarden metrics. */
class MetricsDocumentationTest {

    private static final Path DOC = Path.of("..", "docs", "metrics.md");
    private static final Pattern PGWARDEN_NAME = Pattern.compile("`(pgwarden_[a-z0-9_]+)`");
    private static final Pattern STANDARD_PREFIX = Pattern.compile("`([a-z]+_)\\*`");

    @Test
    void everyRegisteredMeterIsDocumentedAndEveryDocumentedMetricIsRegistered() throws IOException {
        String doc = Files.readString(DOC);
        Set<String> documented = matches(PGWARDEN_NAME, doc);
        Set<String> standardPrefixes = matches(STANDARD_PREFIX, doc);

        FakeCluster cluster = new FakeCluster();
        FakeProxy proxy = everyProxyKeyOnce();
        PrometheusMeterRegistry registry = PgwardenMetricsTest.strictRegistry();
        try (PgwardenMetrics metrics = new PgwardenMetrics(registry, cluster.topology(), cluster.events(), proxy)) {
            cluster.events().record(1, EventKind.ROGUE_PRIMARY, Optional.of("pg3"), Reason.WRITABLE_WITHOUT_ELECTION,
                    Outcome.REFUSED, "writable", Optional.empty());
            PrometheusText scrape = PrometheusText.parse(metrics.scrape());

            Set<String> exposed = new TreeSet<>();
            scrape.families().forEach(family -> exposed.add(family.getName()));
            Set<String> exposedPgwarden = new TreeSet<>(exposed);
            exposedPgwarden.removeIf(name -> !name.startsWith("pgwarden_"));
            assertThat(documented).as("pgwarden metrics in docs/metrics.md").isEqualTo(exposedPgwarden);
            exposed.removeAll(exposedPgwarden);
            assertThat(exposed).as("other metrics must have a prefix listed under 'Standard meters'")
                    .allSatisfy(name -> assertThat(standardPrefixes).anyMatch(name::startsWith));

            for (Meter meter : registry.getMeters()) {
                String name = meter.getId().getName();
                if (name.startsWith("pgwarden")) {
                    PgwardenMeters.Definition definition = PgwardenMeters.byName(name).orElseThrow(
                            () -> new AssertionError(name + " is not defined in PgwardenMeters"));
                    assertThat(meter.getId().getTags()).extracting(tag -> tag.getKey()).as(name)
                            .containsExactlyInAnyOrderElementsOf(definition.tags());
                    assertThat(documented).as(name).contains(definition.prometheusName());
                }
            }
        }
        for (PgwardenMeters.Definition definition : PgwardenMeters.all()) {
            assertThat(documented).as(definition.name()).contains(definition.prometheusName());
        }
    }

    /** A proxy that has met one value of every label, so that every proxy meter is registered. */
    private static FakeProxy everyProxyKeyOnce() {
        FakeProxy proxy = new FakeProxy();
        proxy.connection("rw", SessionState.IDLE, 1);
        proxy.backendSessions.put("pg1", new AtomicLong(1));
        proxy.routed.put(new ProxyStats.RoutedTo("pg1", ProxyStats.ServedRole.PRIMARY), new LongAdder());
        proxy.received.put("rw", new LongAdder());
        proxy.sent.put("rw", new LongAdder());
        proxy.errors.put("08P01", new LongAdder());
        proxy.authFailures.put("rw", new LongAdder());
        return proxy;
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
