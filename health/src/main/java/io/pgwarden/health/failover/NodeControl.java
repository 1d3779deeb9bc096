package io.pgwarden.health.failover;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.action.ActionRequest;
import io.pgwarden.health.action.ActionResult;
import io.pgwarden.health.probe.ProbeOutcome;
import java.time.Duration;
import java.util.Optional;

/** Direct SQL on a node, outside the probe schedule: what the coordinator does itself. */
public interface NodeControl {

    /** One probe on a fresh connection, within {@code deadline}; never throws. */
    ProbeOutcome inspect(BackendSettings node, Duration deadline);

    /** The soft fence: {@code default_transaction_read_only = on}, reload, terminate client backends. */
    ActionResult softFence(ActionRequest request);

    /** Undoes the soft fence; returns an error message, or empty when done. */
    Optional<String> liftSoftFence(BackendSettings node);
}
