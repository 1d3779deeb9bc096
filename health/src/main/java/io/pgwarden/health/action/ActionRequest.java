package io.pgwarden.health.action;

import io.pgwarden.config.BackendSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an action is told about the event that runs it. A shell command receives it as
 * {@code PGWARDEN_*} environment variables ({@link #environment()}) and as JSON on stdin.
 *
 * @param kind the action
 * @param event what triggered it, e.g. {@code failover}, {@code switchover}, {@code rogue-primary}
 * @param reason why, e.g. {@code primary-down}
 * @param epoch epoch at the time of the request (for a promotion: the epoch the new primary will get)
 * @param time when it was requested
 * @param node the node to act on (promote this, fence this, make this follow)
 * @param oldPrimary the primary being replaced, when there is one
 * @param newPrimary the primary to follow or being promoted, when there is one
 * @param timeout how long the action may run
 * @param details further values, each also passed as {@code PGWARDEN_<KEY>}
 */
public record ActionRequest(
        ActionKind kind,
        String event,
        String reason,
        long epoch,
        Instant time,
        Optional<BackendSettings> node,
        Optional<BackendSettings> oldPrimary,
        Optional<BackendSettings> newPrimary,
        Duration timeout,
        Map<String, String> details) {

    public ActionRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(oldPrimary, "oldPrimary");
        Objects.requireNonNull(newPrimary, "newPrimary");
        Objects.requireNonNull(timeout, "timeout");
        details = Map.copyOf(details);
    }

    /** The same request with another timeout (the configured one of the action that runs it). */
    public ActionRequest withTimeout(Duration timeout) {
        return new ActionRequest(kind, event, reason, epoch, time, node, oldPrimary, newPrimary, timeout, details);
    }

    /**
     * {@code PGWARDEN_ACTION}, {@code PGWARDEN_EVENT}, {@code PGWARDEN_REASON}, {@code PGWARDEN_EPOCH},
     * {@code PGWARDEN_TIME}, {@code PGWARDEN_TIMEOUT_MS}, {@code PGWARDEN_NODE_NAME|HOST|PORT},
     * {@code PGWARDEN_OLD_PRIMARY_NAME|HOST|PORT}, {@code PGWARDEN_NEW_PRIMARY_NAME|HOST|PORT}
     * (only those that apply), and {@code PGWARDEN_<KEY>} for each detail.
     */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PGWARDEN_ACTION", kind.configName());
        environment.put("PGWARDEN_EVENT", event);
        environment.put("PGWARDEN_REASON", reason);
        environment.put("PGWARDEN_EPOCH", Long.toString(epoch));
        environment.put("PGWARDEN_TIME", time.toString());
        environment.put("PGWARDEN_TIMEOUT_MS", Long.toString(timeout.toMillis()));
        node.ifPresent(backend -> putNode(environment, "PGWARDEN_NODE_", backend));
        oldPrimary.ifPresent(backend -> putNode(environment, "PGWARDEN_OLD_PRIMARY_", backend));
        newPrimary.ifPresent(backend -> putNode(environment, "PGWARDEN_NEW_PRIMARY_", backend));
        details.forEach((key, value) -> environment.put(
                "PGWARDEN_" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
        return environment;
    }

    private static void putNode(Map<String, String> environment, String prefix, BackendSettings backend) {
        environment.put(prefix + "NAME", backend.name());
        environment.put(prefix + "HOST", backend.host());
        environment.put(prefix + "PORT", Integer.toString(backend.port()));
    }
}
