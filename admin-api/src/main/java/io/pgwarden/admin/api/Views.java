package io.pgwarden.admin.api;

import io.pgwarden.admin.api.view.ClusterView;
import io.pgwarden.admin.api.view.EventsView;
import io.pgwarden.admin.api.view.FailoverView;
import io.pgwarden.admin.api.view.SessionsView;
import io.pgwarden.admin.port.ClientSession;
import io.pgwarden.health.action.ActionResult;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.failover.FailoverResult;
import io.pgwarden.health.probe.Lsn;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns the health module's values into the JSON views: enum values lower-case and hyphenated, times ISO-8601. */
final class Views {

    private Views() {
    }

    static String wireName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static ClusterView cluster(Topology topology, String failoverMode, boolean paused,
            Optional<ClusterView.OperationView> operation, Set<String> draining,
            Map<String, ? extends Number> sessionsPerNode) {
        List<ClusterView.NodeView> nodes = topology.nodes().stream()
                .map(node -> node(node, topology.primary().map(node.name()::equals).orElse(false),
                        draining.contains(node.name()), sessionsPerNode.get(node.name())))
                .toList();
        return new ClusterView(topology.epoch(), topology.version(), topology.primary().orElse(null),
                topology.routablePrimary().map(NodeState::name).orElse(null), failoverMode, paused,
                operation.orElse(null), topology.roguePrimaries().stream().map(NodeState::name).toList(), nodes,
                topology.time().toString());
    }

    private static ClusterView.NodeView node(NodeState node, boolean elected, boolean draining, Number sessions) {
        return new ClusterView.NodeView(node.name(), node.host(), node.port(), node.priority(), wireName(node.role()),
                wireName(node.health()), elected, node.fenced(), draining, node.readOnlyByDefault(),
                lsn(node.currentLsn()), lsn(node.receiveLsn()), lsn(node.replayLsn()),
                node.lagBytes().isPresent() ? node.lagBytes().getAsLong() : null,
                node.replayLag().map(Views::seconds).orElse(null),
                node.timeline().isPresent() ? node.timeline().getAsLong() : null,
                node.walReceiver().map(receiver -> new ClusterView.WalReceiverView(receiver.status(),
                        receiver.upstream(), receiver.streaming())).orElse(null),
                node.consecutiveFailures(), node.lastProbeAt().map(Instant::toString).orElse(null),
                node.lastProbeLatency().map(Views::millis).orElse(null), node.lastError().orElse(null),
                sessions == null ? 0 : sessions.longValue());
    }

    static EventsView events(long lastSequence, List<ClusterEvent> events) {
        return new EventsView(lastSequence, events.stream().map(Views::event).toList());
    }

    private static EventsView.EventView event(ClusterEvent event) {
        return new EventsView.EventView(event.sequence(), event.time().toString(), event.epoch(),
                wireName(event.kind()), event.node().orElse(null), wireName(event.reason()),
                wireName(event.outcome()), event.message(), event.action().map(Views::action).orElse(null));
    }

    private static EventsView.ActionView action(ActionResult action) {
        return new EventsView.ActionView(action.kind().configName(), action.description(), wireName(action.status()),
                action.exitCode().isPresent() ? action.exitCode().getAsInt() : null, action.output(),
                millis(action.duration()));
    }

    static FailoverView failover(String operation, FailoverResult result) {
        return new FailoverView(operation, result.succeeded(), result.oldPrimary().orElse(null),
                result.newPrimary().orElse(null), result.epoch(), wireName(result.reason()), result.message(),
                millis(result.duration()));
    }

    static SessionsView.SessionView session(ClientSession session, Instant now) {
        return new SessionsView.SessionView(session.id(), session.listener(), session.clientAddress(),
                session.user().orElse(null), session.database().orElse(null),
                session.applicationName().orElse(null), session.node().orElse(null), session.state().wireName(),
                session.openedAt().toString(), seconds(Duration.between(session.openedAt(), now)));
    }

    private static String lsn(Optional<Lsn> lsn) {
        return lsn.map(Lsn::toString).orElse(null);
    }

    static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
