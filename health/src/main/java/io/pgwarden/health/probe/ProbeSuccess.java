package io.pgwarden.health.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A probe that answered within its deadline. */
public record ProbeSuccess(Instant startedAt, Duration latency, ProbeObservation observation) implements ProbeOutcome {

    public ProbeSuccess {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(observation, "observation");
    }
}
