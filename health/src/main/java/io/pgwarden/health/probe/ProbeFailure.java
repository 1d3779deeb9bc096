package io.pgwarden.health.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A probe that did not answer: the connection could not be opened, the query failed, or the
 * deadline passed.
 */
public record ProbeFailure(Instant startedAt, Duration latency, Kind kind, String message) implements ProbeOutcome {

    public enum Kind {
        /** Opening the monitor connection failed (refused, unreachable, authentication). */
        CONNECT_FAILED,
        /** The connection was open but the probe query failed or the connection broke. */
        QUERY_FAILED,
        /** No answer before the deadline: the backend is hung, or the network is. */
        TIMEOUT
    }

    public ProbeFailure {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
