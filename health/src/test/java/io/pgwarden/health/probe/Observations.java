package io.pgwarden.health.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Probe observations as a primary or a standby would report them. */
public final class Observations {

    private Observations() {
    }

    public static ProbeObservation primary(String lsn, long timeline) {
        return new ProbeObservation(false, Optional.of(Lsn.parse(lsn)), Optional.empty(), Optional.empty(),
                OptionalLong.of(timeline), Optional.empty(), Optional.empty(), false);
    }

    public static ProbeObservation readOnlyPrimary(String lsn, long timeline) {
        return new ProbeObservation(false, Optional.of(Lsn.parse(lsn)), Optional.empty(), Optional.empty(),
                OptionalLong.of(timeline), Optional.empty(), Optional.empty(), true);
    }

    /** A standby streaming from {@code host:port}, or with no WAL receiver when host is null. */
    public static ProbeObservation standby(String receive, String replay, long timeline, String host, int port) {
        Optional<WalReceiverStatus> receiver = host == null ? Optional.empty()
                : Optional.of(new WalReceiverStatus("streaming", Optional.of(host), OptionalInt.of(port),
                        OptionalLong.of(timeline), Optional.of(Instant.parse("2025-01-01T00:00:00Z"))));
        return new ProbeObservation(true, Optional.empty(), Optional.of(Lsn.parse(receive)),
                Optional.of(Lsn.parse(replay)), OptionalLong.of(timeline), Optional.of(Duration.ZERO), receiver, false);
    }

    public static ProbeSuccess success(Instant at, ProbeObservation observation) {
        return new ProbeSuccess(at, Duration.ofMillis(2), observation);
    }

    public static ProbeFailure refused(Instant at) {
        return new ProbeFailure(at, Duration.ofMillis(1), ProbeFailure.Kind.CONNECT_FAILED, "Connection refused");
    }

    public static ProbeFailure timeout(Instant at) {
        return new ProbeFailure(at, Duration.ofMillis(500), ProbeFailure.Kind.TIMEOUT, "no answer within 500 ms");
    }
}
