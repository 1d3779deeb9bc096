package io.pgwarden.admin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Registers meters from their {@link PgwardenMeters.Definition}, so that a binder cannot use a
 * name, unit, type or tag set other than the documented one.
 */
final class Registration {

    private Registration() {
    }

    /** A gauge holding {@code state} strongly: the binder, not the caller, decides its lifetime. */
    static <T> Gauge gauge(MeterRegistry registry, PgwardenMeters.Definition definition, T state,
            ToDoubleFunction<T> value, String... tagValues) {
        require(definition, PgwardenMeters.Type.GAUGE);
        Gauge.Builder<T> builder = Gauge.builder(definition.name(), state, value)
                .description(definition.description())
                .tags(tags(definition, tagValues))
                .strongReference(true);
        definition.baseUnit().ifPresent(builder::baseUnit);
        return builder.register(registry);
    }

    /** A counter whose value the proxy keeps (a {@link Number} that only grows). */
    static FunctionCounter functionCounter(MeterRegistry registry, PgwardenMeters.Definition definition,
            Number count, String... tagValues) {
        require(definition, PgwardenMeters.Type.COUNTER);
        FunctionCounter.Builder<Number> builder = FunctionCounter.builder(definition.name(), count, Number::doubleValue)
                .description(definition.description())
                .tags(tags(definition, tagValues));
        definition.baseUnit().ifPresent(builder::baseUnit);
        return builder.register(registry);
    }

    static Counter counter(MeterRegistry registry, PgwardenMeters.Definition definition, String... tagValues) {
        require(definition, PgwardenMeters.Type.COUNTER);
        Counter.Builder builder = Counter.builder(definition.name())
                .description(definition.description())
                .tags(tags(definition, tagValues));
        definition.baseUnit().ifPresent(builder::baseUnit);
        return builder.register(registry);
    }

    static Timer timer(MeterRegistry registry, PgwardenMeters.Definition definition, List<Duration> buckets,
            String... tagValues) {
        require(definition, PgwardenMeters.Type.TIMER);
        return Timer.builder(definition.name())
                .description(definition.description())
                .tags(tags(definition, tagValues))
                .serviceLevelObjectives(buckets.toArray(Duration[]::new))
                .register(registry);
    }

    private static void require(PgwardenMeters.Definition definition, PgwardenMeters.Type type) {
        if (definition.type() != type) {
            throw new IllegalArgumentException(definition.name() + " is a " + definition.type() + ", not a " + type);
        }
    }

    private static Tags tags(PgwardenMeters.Definition definition, String... values) {
        if (values.length != definition.tags().size()) {
            throw new IllegalArgumentException(definition.name() + " has tags " + definition.tags() + ", given "
                    + values.length + " values");
        }
        Tags tags = Tags.empty();
        for (int i = 0; i < values.length; i++) {
            tags = tags.and(definition.tags().get(i), values[i]);
        }
        return tags;
    }
}
