package io.pgwarden.admin.metrics;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker;

/** A scrape read back by an independent parser of the Prometheus text format (Hawkular's). */
public final class PrometheusText {

    private final List<MetricFamily> families;

    private PrometheusText(List<MetricFamily> families) {
        this.families = families;
    }

    public static PrometheusText parse(String text) {
        CollectorPrometheusMetricsWalker walker = new CollectorPrometheusMetricsWalker();
        new TextPrometheusMetricsProcessor(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), walker)
                .walk();
        return new PrometheusText(walker.getAllMetricFamilies());
    }

    public List<MetricFamily> families() {
        return families;
    }

    public Optional<MetricFamily> family(String name) {
        return families.stream().filter(family -> family.getName().equals(name)).findFirst();
    }

    public MetricType type(String family) {
        return family(family).orElseThrow(() -> new AssertionError("no metric family " + family)).getType();
    }

    /** The sample of {@code family} whose labels include {@code labels}; fails when not exactly one. */
    public Metric sample(String family, Map<String, String> labels) {
        List<Metric> matching = family(family).orElseThrow(() -> new AssertionError("no metric family " + family))
                .getMetrics().stream()
                .filter(metric -> metric.getLabels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " samples of " + family + " with " + labels + ": " + matching);
        }
        return matching.get(0);
    }

    /** The value of a counter or gauge sample. */
    public double value(String family, Map<String, String> labels) {
        Metric metric = sample(family, labels);
        if (metric instanceof Counter counter) {
            return counter.getValue();
        }
        if (metric instanceof Gauge gauge) {
            return gauge.getValue();
        }
        throw new AssertionError(family + " is neither a counter nor a gauge: " + metric);
    }

    public Histogram histogram(String family, Map<String, String> labels) {
        return (Histogram) sample(family, labels);
    }
}
