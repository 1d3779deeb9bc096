package io.pgwarden.health.failover;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.FakeTimeSource;
import io.pgwarden.health.action.ActionKind;
import io.pgwarden.health.action.ActionRequest;
import io.pgwarden.health.action.ActionResult;
import io.pgwarden.health.action.ActionStatus;
import io.pgwarden.health.probe.Lsn;
import io.pgwarden.health.probe.ProbeFailure;
import io.pgwarden.health.probe.ProbeObservation;
import io.pgwarden.health.probe.ProbeOutcome;
import io.pgwarden.health.probe.ProbeSuccess;
import io.pgwarden.health.probe.WalReceiverStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Simulated PostgreSQL servers: what probes would read from them, and what SQL actions do to them.
 * Enough of replication to drive the coordinator: a primary's position, standbys' positions and
 * upstreams, promotion bumping the timeline.
 */
final class FakeCluster implements NodeControl {

    /** One simulated server. Fields are changed by tests to stage a situation. */
    static final class Server {
        final BackendSettings backend;
        boolean running = true;
        boolean hung;
        boolean inRecovery;
        Lsn position;
        long timeline = 1;
        Optional<BackendSettings> upstream = Optional.empty();
        boolean streaming;
        boolean readOnly;

        Server(BackendSettings backend) {
            this.backend = backend;
        }

        ProbeObservation observe() {
            Optional<WalReceiverStatus> receiver = upstream.map(from -> new WalReceiverStatus(
                    streaming ? "streaming" : "waiting", Optional.of(from.host()), OptionalInt.of(from.port()),
                    OptionalLong.of(timeline), Optional.empty()));
            if (!inRecovery) {
                return new ProbeObservation(false, Optional.of(position), Optional.empty(), Optional.empty(),
                        OptionalLong.of(timeline), Optional.empty(), Optional.empty(), readOnly);
            }
            return new ProbeObservation(true, Optional.empty(), Optional.of(position), Optional.of(position),
                    OptionalLong.of(timeline), Optional.of(Duration.ZERO), streaming ? receiver : Optional.empty(),
                    readOnly);
        }
    }

    private final FakeTimeSource time;
    private final Map<String, Server> servers = new LinkedHashMap<>();
    final List<String> softFenced = new ArrayList<>();
    final List<String> softFenceLifted = new ArrayList<>();

    FakeCluster(FakeTimeSource time) {
        this.time = time;
    }

    Server primary(BackendSettings backend, String lsn) {
        Server server = new Server(backend);
        server.position = Lsn.parse(lsn);
        servers.put(backend.name(), server);
        return server;
    }

    Server standby(BackendSettings backend, String lsn, BackendSettings upstream) {
        Server server = new Server(backend);
        server.inRecovery = true;
        server.position = Lsn.parse(lsn);
        server.upstream = Optional.of(upstream);
        server.streaming = true;
        servers.put(backend.name(), server);
        return server;
    }

    Server server(String name) {
        return servers.get(name);
    }

    List<BackendSettings> backends() {
        return servers.values().stream().map(server -> server.backend).toList();
    }

    /** What a probe of {@code name} returns now. */
    ProbeOutcome probe(String name) {
        Server server = servers.get(name);
        if (server.hung) {
            return new ProbeFailure(time.now(), Duration.ofMillis(500), ProbeFailure.Kind.TIMEOUT, "no answer within 500 ms");
        }
        if (!server.running) {
            return new ProbeFailure(time.now(), Duration.ofMillis(1), ProbeFailure.Kind.CONNECT_FAILED,
                    "Connection to " + server.backend.host() + ":" + server.backend.port() + " refused");
        }
        return new ProbeSuccess(time.now(), Duration.ofMillis(2), server.observe());
    }

    /** A primary dies: its standbys' WAL receivers lose their connection. */
    void kill(String name) {
        Server dead = servers.get(name);
        dead.running = false;
        for (Server server : servers.values()) {
            if (server.upstream.map(up -> up.name().equals(name)).orElse(false)) {
                server.streaming = false;
            }
        }
    }

    /** Promotion: out of recovery, on a new timeline. */
    void promote(String name) {
        Server server = servers.get(name);
        server.inRecovery = false;
        server.timeline++;
        server.upstream = Optional.empty();
        server.streaming = false;
    }

    /** The built-in promote, as the coordinator would run it. */
    ActionResult promoteAction(ActionRequest request) {
        String name = request.node().orElseThrow().name();
        Server server = servers.get(name);
        if (!server.running) {
            return result(ActionKind.PROMOTE, ActionStatus.FAILED, "connection refused");
        }
        promote(name);
        return result(ActionKind.PROMOTE, ActionStatus.SUCCEEDED, "promoted");
    }

    /** The built-in follow. */
    ActionResult followAction(ActionRequest request) {
        Server server = servers.get(request.node().orElseThrow().name());
        BackendSettings primary = request.newPrimary().orElseThrow();
        server.upstream = Optional.of(primary);
        server.streaming = true;
        server.timeline = servers.get(primary.name()).timeline;
        return result(ActionKind.FOLLOW, ActionStatus.SUCCEEDED, "primary_conninfo = host=" + primary.host());
    }

    static ActionResult result(ActionKind kind, ActionStatus status, String output) {
        return new ActionResult(kind, "fake " + kind.configName(), status,
                status == ActionStatus.SUCCEEDED ? OptionalInt.of(0) : OptionalInt.of(1), output, Duration.ofMillis(5));
    }

    @Override
    public ProbeOutcome inspect(BackendSettings node, Duration deadline) {
        return probe(node.name());
    }

    @Override
    public ActionResult softFence(ActionRequest request) {
        Server server = servers.get(request.node().orElseThrow().name());
        if (!server.running || server.hung) {
            return result(ActionKind.FENCE, ActionStatus.FAILED, "unreachable");
        }
        server.readOnly = true;
        softFenced.add(server.backend.name());
        return result(ActionKind.FENCE, ActionStatus.SUCCEEDED, "default_transaction_read_only = on");
    }

    @Override
    public Optional<String> liftSoftFence(BackendSettings node) {
        Server server = servers.get(node.name());
        server.readOnly = false;
        softFenceLifted.add(node.name());
        return Optional.empty();
    }
}
