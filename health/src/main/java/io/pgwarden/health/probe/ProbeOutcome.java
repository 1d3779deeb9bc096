package io.pgwarden.health.probe;

import java.time.Duration;
import java.time.Instant;

/** The result of one probe of one backend: a {@link ProbeSuccess} or a {@link ProbeFailure}. */
public sealed interface ProbeOutcome permits ProbeSuccess, ProbeFailure {

    /** When the probe started, on the monitor's clock. */
    Instant startedAt();

    /** How long it took, up to its deadline. */
    Duration latency();
}
