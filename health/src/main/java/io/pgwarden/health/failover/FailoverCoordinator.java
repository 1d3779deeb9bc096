package io.pgwarden.health.failover;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.ConfigProblem;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.config.FailoverSettings;
import io.pgwarden.config.HealthSettings;
import io.pgwarden.health.TimeSource;
import io.pgwarden.health.action.ActionKind;
import io.pgwarden.health.action.ActionRequest;
import io.pgwarden.health.action.ActionResult;
import io.pgwarden.health.action.ActionSet;
import io.pgwarden.health.action.ActionStatus;
import io.pgwarden.health.action.FailoverAction;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.event.Outcome;
import io.pgwarden.health.event.Reason;
import io.pgwarden.health.probe.Lsn;
import io.pgwarden.health.probe.ProbeFailure;
import io.pgwarden.health.probe.ProbeOutcome;
import io.pgwarden.health.probe.ProbeSuccess;
import io.pgwarden.health.probe.WalReceiverStatus;
import io.pgwarden.health.state.ClusterState;
import io.pgwarden.health.state.StateStore;
import io.pgwarden.health.topology.Health;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Role;
import io.pgwarden.health.topology.Topology;
import io.pgwarden.health.topology.TopologyPublisher;
import io.pgwarden.health.topology.TopologySource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Knows the cluster and acts on it: turns probe outcomes into node states, elects the primary,
 * detects its loss, fails over (fence, promote, verify, elect, follow), refuses rogue primaries,
 * and lets fenced nodes rejoin. Every change is published as a {@link Topology} and recorded as
 * an event.
 *
 * <p>Not thread-safe by design: every method runs on one coordinator thread (see
 * {@code ClusterMonitor}), so decisions never race each other. A failover runs on that thread
 * too; probe outcomes that queue meanwhile and were started before the coordinator acted on a node
 * are dropped, since they describe the node as it was.
 *
 * <p>Safety rules, in order of importance:
 * <ol>
 *   <li>At most one node is the routed primary at any epoch: the elected one. Being writable
 *       never makes a node primary on its own (except in {@code external} mode, and only when the
 *       elected primary is gone and the node is the only writable one).</li>
 *   <li>The old primary is fenced (routing stopped, sessions ended, fence action run, persisted)
 *       before any standby is promoted.</li>
 *   <li>No failover while a standby still streams from the primary: then the proxy, not the
 *       primary, is cut off. (A hung primary keeps its standbys "streaming" until their
 *       {@code wal_receiver_timeout}, which thereby bounds detection of a hung primary.)</li>
 *   <li>Fenced nodes stay fenced across restarts, until an operator unfences them or they run as
 *       a standby on the elected primary's timeline ({@code auto-rejoin}).</li>
 * </ol>
 */
public final class FailoverCoordinator {

    private final StateStore store;
    private final SessionTerminator terminator;
    private final TrafficGate gate;
    private final EventLog events;
    private final TimeSource time;
    private final TopologyPublisher publisher;

    // State below is touched on the coordinator thread only; a reload replaces the settings.
    private final Map<String, BackendSettings> backends = new LinkedHashMap<>();
    private HealthSettings health;
    private FailoverSettings failover;
    private ActionSet actions;
    private NodeControl control;
    private CandidateSelector selector;
    private final Map<String, NodeState> nodes = new LinkedHashMap<>();
    private ClusterState cluster = ClusterState.INITIAL;
    private long version;
    /** Probe outcomes started before this instant describe the node before the coordinator acted on it. */
    private final Map<String, Instant> ignoreProbesBefore = new HashMap<>();
    /** Nodes currently seen writable without being elected (one entry per episode). */
    private final Set<String> rogue = new HashSet<>();
    /** When the soft fence of a rogue node may be applied again, should it have lapsed. */
    private final Map<String, Instant> softFenceRetryAt = new HashMap<>();
    /** Standbys still to be pointed at the elected primary, and when to try next. */
    private final Map<String, Instant> followDue = new LinkedHashMap<>();
    /** Fenced nodes whose rejoin action ran in their current fence episode. */
    private final Set<String> rejoinAttempted = new HashSet<>();
    private Optional<String> replacedPrimary = Optional.empty();
    /** {@code PGWARDEN_EVENT} of the follow actions still due: what replaced the primary. */
    private String followEvent = "failover";
    private boolean lossReported;
    private Optional<Reason> failoverHeld = Optional.empty();
    private boolean multipleWritableReported;
    private boolean failoverPending;
    private Instant failoverRetryAt = Instant.MIN;
    private boolean started;

    public FailoverCoordinator(
            List<BackendSettings> backends,
            HealthSettings health,
            FailoverSettings failover,
            StateStore store,
            ActionSet actions,
            NodeControl control,
            SessionTerminator terminator,
            TrafficGate gate,
            EventLog events,
            TimeSource time) {
        for (BackendSettings backend : backends) {
            if (this.backends.put(backend.name(), backend) != null) {
                throw new IllegalArgumentException("duplicate backend name " + backend.name());
            }
            nodes.put(backend.name(), NodeState.initial(backend));
        }
        this.health = Objects.requireNonNull(health, "health");
        this.failover = Objects.requireNonNull(failover, "failover");
        this.store = Objects.requireNonNull(store, "store");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.control = Objects.requireNonNull(control, "control");
        this.terminator = Objects.requireNonNull(terminator, "terminator");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.events = Objects.requireNonNull(events, "events");
        this.time = Objects.requireNonNull(time, "time");
        this.selector = new CandidateSelector(failover.maxLagOnFailover());
        this.publisher = new TopologyPublisher(snapshot());
    }

    /** Topology snapshots, for the proxy and the admin API. */
    public TopologySource topology() {
        return publisher;
    }

    public EventLog events() {
        return events;
    }

    /** The persisted cluster state as the coordinator holds it now. */
    public ClusterState clusterState() {
        return cluster;
    }

    /**
     * Reads the persisted state (elected primary, epoch, fenced nodes) and publishes the first
     * snapshot. Nothing is routed before the elected primary has answered a probe.
     *
     * @throws IOException if the state store cannot be read: starting without knowing which nodes
     *     are fenced could route to an old primary
     */
    public void start() throws IOException {
        if (started) {
            return;
        }
        ClusterState loaded = store.load();
        Set<String> fenced = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : loaded.fenced()) {
            if (backends.containsKey(name)) {
                fenced.add(name);
            } else {
                unknown.add(name);
            }
        }
        Optional<String> primary = loaded.electedPrimary().filter(backends::containsKey);
        loaded.electedPrimary().filter(name -> !backends.containsKey(name)).ifPresent(unknown::add);
        cluster = new ClusterState(loaded.epoch(), primary, fenced);
        fenced.forEach(name -> nodes.computeIfPresent(name, (key, node) -> node.withFenced(true)));
        started = true;
        record(EventKind.STATE_RESTORED, Optional.empty(), Reason.STATE_FILE, Outcome.OBSERVED,
                "epoch " + cluster.epoch() + ", elected primary " + cluster.electedPrimary().orElse("none")
                        + ", fenced " + cluster.fenced()
                        + (unknown.isEmpty() ? "" : "; ignored names not configured as backends: " + unknown),
                Optional.empty());
        publish();
    }

    // ------------------------------------------------------------------ probes

    /** Applies one probe outcome, then decides what to do. */
    public void onProbe(String name, ProbeOutcome outcome) {
        NodeState previous = nodes.get(name);
        if (previous == null || !started) {
            return;
        }
        Instant ignoreBefore = ignoreProbesBefore.get(name);
        if (ignoreBefore != null && outcome.startedAt().isBefore(ignoreBefore)) {
            return;
        }
        NodeState next = previous.afterProbe(outcome, health.failuresBeforeDown());
        nodes.put(name, next);
        reportChange(previous, next, outcome);
        evaluate();
        publish();
    }

    private void reportChange(NodeState previous, NodeState next, ProbeOutcome outcome) {
        if (previous.health() != next.health()) {
            Reason reason = outcome instanceof ProbeSuccess ? Reason.PROBE_SUCCEEDED
                    : ((ProbeFailure) outcome).kind() == ProbeFailure.Kind.TIMEOUT ? Reason.PROBE_TIMEOUT
                    : Reason.PROBE_FAILED;
            String message = previous.health() + " -> " + next.health()
                    + (outcome instanceof ProbeFailure failure
                            ? " after " + next.consecutiveFailures() + " failed probe(s): " + failure.message()
                            : "");
            record(EventKind.NODE_HEALTH_CHANGED, Optional.of(next.name()), reason, Outcome.OBSERVED, message,
                    Optional.empty());
        }
        if (next.role() != Role.UNKNOWN && previous.role() != next.role()) {
            record(EventKind.NODE_ROLE_CHANGED, Optional.of(next.name()), Reason.PROBE_SUCCEEDED, Outcome.OBSERVED,
                    previous.role() + " -> " + next.role(), Optional.empty());
        }
    }

    /** Everything the coordinator decides after a probe: election, loss, rogues, rejoin, follow. */
    private void evaluate() {
        rogue.removeIf(name -> !nodes.get(name).writable());
        Optional<String> elected = cluster.electedPrimary();
        if (elected.isEmpty()) {
            electWhenClear();
        } else if (failover.mode() == FailoverMode.EXTERNAL) {
            followExternalPromotion(nodes.get(elected.get()));
        } else {
            checkPrimaryLoss(nodes.get(elected.get()));
        }
        handleRogues();
        rejoinFencedStandbys();
        followPending();
    }

    /**
     * No primary is elected (first start, or a failover that found no candidate): elect the only
     * writable unfenced node once every node has been probed; refuse to pick among several.
     */
    private void electWhenClear() {
        if (nodes.values().stream().anyMatch(node -> node.lastProbeAt().isEmpty())) {
            return;
        }
        List<NodeState> writable = nodes.values().stream()
                .filter(node -> node.health() == Health.UP && node.role() == Role.PRIMARY && !node.fenced())
                .toList();
        if (writable.size() == 1) {
            Reason reason = failover.mode() == FailoverMode.EXTERNAL && cluster.epoch() > 0 ? Reason.EXTERNAL_PROMOTION
                    : cluster.epoch() == 0 ? Reason.INITIAL_DISCOVERY : Reason.PROMOTED;
            elect(writable.get(0).name(), reason);
            return;
        }
        if (writable.size() > 1) {
            if (!multipleWritableReported) {
                multipleWritableReported = true;
                record(EventKind.PRIMARY_ELECTED, Optional.empty(), Reason.MULTIPLE_WRITABLE_NODES, Outcome.REFUSED,
                        "no primary elected: " + names(writable) + " are all writable; fence all but one", Optional.empty());
            }
            return;
        }
        multipleWritableReported = false;
        if (failover.mode() == FailoverMode.AUTOMATIC && failoverPending && !time.now().isBefore(failoverRetryAt)) {
            runFailover(Optional.empty(), Reason.PRIMARY_DOWN, "failover");
        }
    }

    private void checkPrimaryLoss(NodeState primary) {
        // A node not probed yet is DOWN only by default, and a standby not probed yet may still
        // stream from the primary: decide nothing before every node has answered or failed once,
        // and nothing before the primary itself has failed failures-before-down probes.
        if (nodes.values().stream().anyMatch(node -> node.lastProbeAt().isEmpty())) {
            return;
        }
        if (primary.health() != Health.DOWN || primary.consecutiveFailures() < health.failuresBeforeDown()) {
            lossReported = false;
            failoverHeld = Optional.empty();
            if (primary.health() == Health.UP && primary.role() == Role.STANDBY) {
                hold(Reason.ELECTED_PRIMARY_IN_RECOVERY, primary.name() + " is elected but reports itself in recovery;"
                        + " not routed until it is writable or an operator fails over");
            }
            return;
        }
        Optional<NodeState> streaming = nodes.values().stream()
                .filter(node -> !node.name().equals(primary.name()) && node.health() == Health.UP
                        && node.role() == Role.STANDBY && streamsFrom(node, primary))
                .findFirst();
        if (streaming.isPresent()) {
            hold(Reason.STANDBY_STILL_STREAMING, primary.name() + " does not answer probes, but "
                    + streaming.get().name() + " still streams from it ("
                    + streaming.get().walReceiver().map(WalReceiverStatus::upstream).orElse("?")
                    + "): the proxy is cut off, not the primary");
            return;
        }
        if (!lossReported) {
            lossReported = true;
            failoverHeld = Optional.empty();
            record(EventKind.PRIMARY_LOST, Optional.of(primary.name()), Reason.PRIMARY_DOWN, Outcome.OBSERVED,
                    primary.consecutiveFailures() + " probes failed in a row and no standby streams from it",
                    Optional.empty());
        }
        if (failover.mode() == FailoverMode.MANUAL) {
            hold(Reason.MANUAL_MODE, "failover.mode = manual: trigger the failover through the admin API");
            return;
        }
        if (!time.now().isBefore(failoverRetryAt)) {
            runFailover(Optional.empty(), Reason.PRIMARY_DOWN, "failover");
        }
    }

    /**
     * In external mode another manager promotes. When the elected primary is gone (DOWN or in
     * recovery) and exactly one other node is writable, that node is elected. While the elected
     * primary is still writable, any other writable node is a rogue and is not routed to.
     */
    private void followExternalPromotion(NodeState primary) {
        if (nodes.values().stream().anyMatch(node -> node.lastProbeAt().isEmpty())) {
            return;
        }
        boolean gone = (primary.health() == Health.DOWN
                && primary.consecutiveFailures() >= health.failuresBeforeDown())
                || (primary.health() == Health.UP && primary.role() == Role.STANDBY);
        if (!gone) {
            lossReported = false;
            failoverHeld = Optional.empty();
            return;
        }
        List<NodeState> writable = nodes.values().stream()
                .filter(node -> !node.name().equals(primary.name()) && node.health() == Health.UP
                        && node.role() == Role.PRIMARY && !node.fenced())
                .toList();
        if (writable.size() == 1) {
            elect(writable.get(0).name(), Reason.EXTERNAL_PROMOTION);
            return;
        }
        if (writable.size() > 1) {
            hold(Reason.MULTIPLE_WRITABLE_NODES, names(writable) + " are all writable: none is routed");
            return;
        }
        if (primary.health() == Health.DOWN && !lossReported) {
            lossReported = true;
            record(EventKind.PRIMARY_LOST, Optional.of(primary.name()), Reason.PRIMARY_DOWN, Outcome.OBSERVED,
                    primary.consecutiveFailures() + " probes failed in a row", Optional.empty());
            hold(Reason.EXTERNAL_MODE, "failover.mode = external: waiting for another manager to promote a standby");
        }
    }

    private void hold(Reason reason, String message) {
        if (failoverHeld.equals(Optional.of(reason))) {
            return;
        }
        failoverHeld = Optional.of(reason);
        record(EventKind.FAILOVER_HELD, cluster.electedPrimary(), reason, Outcome.REFUSED, message, Optional.empty());
    }

    /**
     * Whether {@code standby}'s WAL receiver streams from {@code primary}. The upstream is matched
     * by host and port as written in its {@code primary_conninfo}; an upstream that is no
     * configured node at all (another name or address of the primary, a relay) counts as the
     * primary, since wrongly holding a failover back is safer than wrongly promoting.
     */
    static boolean streamsFrom(NodeState standby, NodeState primary, Iterable<NodeState> all) {
        if (standby.walReceiver().isEmpty() || !standby.walReceiver().get().streaming()) {
            return false;
        }
        WalReceiverStatus receiver = standby.walReceiver().get();
        if (receiver.streamsFrom(primary.host(), primary.port())) {
            return true;
        }
        for (NodeState other : all) {
            if (!other.name().equals(primary.name()) && receiver.streamsFrom(other.host(), other.port())) {
                return false;
            }
        }
        return true;
    }

    private boolean streamsFrom(NodeState standby, NodeState primary) {
        return streamsFrom(standby, primary, nodes.values());
    }

    /**
     * A node that reports itself writable without being elected is a rogue primary, once there is
     * an elected primary to compare with or the node is fenced: refused, its sessions ended, and
     * (except in external mode) fenced again, soft fence and fence action.
     */
    private void handleRogues() {
        Optional<String> elected = cluster.electedPrimary();
        for (NodeState node : List.copyOf(nodes.values())) {
            boolean isRogue = node.health() == Health.UP && node.role() == Role.PRIMARY
                    && !elected.map(node.name()::equals).orElse(false) && (elected.isPresent() || node.fenced());
            if (!isRogue) {
                continue;
            }
            if (rogue.add(node.name())) {
                record(EventKind.ROGUE_PRIMARY, Optional.of(node.name()), Reason.WRITABLE_WITHOUT_ELECTION,
                        Outcome.REFUSED, node.name() + " reports itself writable but the elected primary is "
                                + elected.orElse("none") + " (epoch " + cluster.epoch() + "): never routed to",
                        Optional.empty());
                if (failover.mode() == FailoverMode.EXTERNAL) {
                    terminator.terminateSessions(node.name(), Reason.WRITABLE_WITHOUT_ELECTION);
                } else {
                    fenceNode(node.name(), Reason.WRITABLE_WITHOUT_ELECTION, "rogue-primary");
                    rejoin(node.name(), "rogue-primary");
                }
            } else if (failover.mode() != FailoverMode.EXTERNAL && !node.readOnlyByDefault()
                    && !time.now().isBefore(softFenceRetryAt.getOrDefault(node.name(), Instant.MIN))) {
                // The soft fence lapsed (reset by hand) or failed before: apply it again, with a pause.
                softFence(node.name(), Reason.WRITABLE_WITHOUT_ELECTION, "rogue-primary");
            }
        }
    }

    /**
     * With {@code auto-rejoin}, a fenced node returns once it runs as a streaming standby on the
     * elected primary's timeline.
     */
    private void rejoinFencedStandbys() {
        if (!failover.autoRejoin()) {
            return;
        }
        Optional<NodeState> primary = cluster.electedPrimary().map(nodes::get).filter(NodeState::writable);
        if (primary.isEmpty() || primary.get().timeline().isEmpty()) {
            return;
        }
        long timeline = primary.get().timeline().getAsLong();
        for (NodeState node : List.copyOf(nodes.values())) {
            if (node.fenced() && node.health() == Health.UP && node.role() == Role.STANDBY && node.streaming()
                    && node.timeline().isPresent() && node.timeline().getAsLong() == timeline) {
                unfenceNode(node.name(), Reason.AUTO_REJOIN, "runs as a standby streaming on timeline " + timeline
                        + " of " + primary.get().name());
            }
        }
    }

    /** Points standbys left behind by a failover at the new primary, retrying with a pause. */
    private void followPending() {
        Optional<String> elected = cluster.electedPrimary();
        if (elected.isEmpty() || followDue.isEmpty()) {
            return;
        }
        BackendSettings primary = backends.get(elected.get());
        FailoverAction follow = actions.get(ActionKind.FOLLOW);
        for (Map.Entry<String, Instant> due : List.copyOf(followDue.entrySet())) {
            NodeState node = nodes.get(due.getKey());
            if (node.fenced() || node.name().equals(primary.name()) || node.role() == Role.PRIMARY) {
                followDue.remove(node.name());
                continue;
            }
            if (node.walReceiver().map(receiver -> receiver.streamsFrom(primary.host(), primary.port())).orElse(false)) {
                followDue.remove(node.name());
                continue;
            }
            boolean reachable = node.health() == Health.UP && node.role() == Role.STANDBY;
            if (time.now().isBefore(due.getValue()) || (follow.needsReachableNode() && !reachable)) {
                continue;
            }
            ActionResult result = follow.run(request(ActionKind.FOLLOW, followEvent, Reason.FOLLOW_NEW_PRIMARY,
                    Optional.of(node.name()), replacedPrimary, elected));
            recordAction(node.name(), Reason.FOLLOW_NEW_PRIMARY, result);
            if (result.succeeded() || result.status() == ActionStatus.NOT_RUN) {
                followDue.remove(node.name());
            } else {
                followDue.put(node.name(), time.now().plus(retryPause()));
            }
        }
    }

    // ------------------------------------------------------------------ failover

    /**
     * Fails over at an operator's request (manual mode, or any mode), optionally to a chosen
     * standby. Refused while the elected primary answers (use a switchover) and while a standby
     * still streams from it.
     */
    public FailoverResult failover(Optional<String> candidate) {
        long start = time.nanoTime();
        Optional<String> old = cluster.electedPrimary();
        if (candidate.isPresent() && !backends.containsKey(candidate.get())) {
            return refused(old, Reason.NO_CANDIDATE, "no backend named " + candidate.get(), start);
        }
        Optional<NodeState> primary = old.map(nodes::get);
        if (primary.isPresent() && primary.get().health() == Health.UP && primary.get().writable()) {
            return refused(old, Reason.OPERATOR_REQUEST, old.get() + " is up and writable: use a switchover", start);
        }
        if (primary.isPresent()) {
            Optional<NodeState> streaming = nodes.values().stream()
                    .filter(node -> !node.name().equals(old.get()) && node.health() == Health.UP
                            && node.role() == Role.STANDBY && streamsFrom(node, primary.get()))
                    .findFirst();
            if (streaming.isPresent()) {
                return refused(old, Reason.STANDBY_STILL_STREAMING,
                        streaming.get().name() + " still streams from " + old.get(), start);
            }
        }
        FailoverResult result = runFailover(candidate, Reason.OPERATOR_REQUEST, "failover");
        publish();
        return result;
    }

    private FailoverResult refused(Optional<String> old, Reason reason, String message, long start) {
        record(EventKind.FAILOVER_FAILED, old, reason, Outcome.REFUSED, message, Optional.empty());
        return new FailoverResult(false, old, Optional.empty(), cluster.epoch(), reason, message, since(start));
    }

    private FailoverResult runFailover(Optional<String> requested, Reason trigger, String event) {
        long start = time.nanoTime();
        Optional<String> old = cluster.electedPrimary();
        Optional<Lsn> primaryPosition = old.map(nodes::get).flatMap(NodeState::currentLsn);
        record(EventKind.FAILOVER_STARTED, old, trigger, Outcome.OBSERVED,
                "old primary " + old.orElse("none") + ", last known position "
                        + primaryPosition.map(Lsn::toString).orElse("unknown"), Optional.empty());
        CandidateSelector.Selection selection = selector.select(
                List.copyOf(nodes.values()), old, primaryPosition, requested);
        for (CandidateSelector.Skip skip : selection.skipped()) {
            record(EventKind.CANDIDATE_SKIPPED, Optional.of(skip.node()), skip.reason(), Outcome.SKIPPED,
                    skip.message(), Optional.empty());
        }
        if (selection.candidates().isEmpty()) {
            failoverRetryAt = time.now().plus(retryPause());
            String message = "no standby qualifies for promotion; old primary " + old.orElse("none")
                    + " is left as it was; next attempt after " + retryPause().toMillis() + " ms";
            record(EventKind.FAILOVER_FAILED, old, Reason.NO_CANDIDATE, Outcome.FAILED, message, Optional.empty());
            return new FailoverResult(false, old, Optional.empty(), cluster.epoch(), Reason.NO_CANDIDATE, message,
                    since(start));
        }
        if (old.isPresent()) {
            fenceNode(old.get(), trigger, event);
        }
        failoverPending = true;
        replacedPrimary = old;
        for (NodeState candidate : selection.candidates()) {
            if (promote(candidate.name(), old, trigger, event)) {
                failoverPending = false;
                String message = candidate.name() + " promoted and elected at epoch " + cluster.epoch() + " in "
                        + since(start).toMillis() + " ms";
                record(EventKind.FAILOVER_COMPLETED, Optional.of(candidate.name()), Reason.PROMOTED,
                        Outcome.SUCCEEDED, message, Optional.empty());
                afterElection(candidate.name(), old, event);
                return new FailoverResult(true, old, Optional.of(candidate.name()), cluster.epoch(), Reason.PROMOTED,
                        message, since(start));
            }
        }
        failoverRetryAt = time.now().plus(retryPause());
        String message = "every candidate failed (" + names(selection.candidates()) + "); no primary is elected;"
                + " next attempt after " + retryPause().toMillis() + " ms";
        record(EventKind.FAILOVER_FAILED, old, Reason.NO_CANDIDATE, Outcome.FAILED, message, Optional.empty());
        return new FailoverResult(false, old, Optional.empty(), cluster.epoch(), Reason.NO_CANDIDATE, message,
                since(start));
    }

    /**
     * Promotes {@code name} and waits until it is writable, within {@code promote-timeout} from
     * the start of the promotion. On success it is elected and published.
     */
    private boolean promote(String name, Optional<String> old, Reason trigger, String event) {
        BackendSettings backend = backends.get(name);
        ignoreProbesBefore.put(name, time.now());
        long promoteStart = time.nanoTime();
        ActionResult result = actions.get(ActionKind.PROMOTE).run(request(ActionKind.PROMOTE, event, trigger,
                cluster.epoch() + 1, Optional.of(name), old, Optional.of(name)));
        recordAction(name, result.succeeded() ? Reason.PROMOTED : Reason.PROMOTE_ACTION_FAILED, result);
        if (!result.succeeded()) {
            record(EventKind.CANDIDATE_SKIPPED, Optional.of(name), Reason.PROMOTE_ACTION_FAILED, Outcome.SKIPPED,
                    "promote action " + result.status().name().toLowerCase(Locale.ROOT) + ": " + result.output(),
                    Optional.empty());
            return false;
        }
        Optional<ProbeSuccess> writable = awaitWritable(backend, promoteStart);
        if (writable.isEmpty()) {
            record(EventKind.CANDIDATE_SKIPPED, Optional.of(name), Reason.NOT_WRITABLE_IN_TIME, Outcome.SKIPPED,
                    "still in recovery " + failover.promoteTimeout().toMillis() + " ms after the promotion started",
                    Optional.empty());
            return false;
        }
        NodeState previous = nodes.get(name);
        NodeState next = previous.afterProbe(writable.get(), health.failuresBeforeDown());
        nodes.put(name, next);
        reportChange(previous, next, writable.get());
        ignoreProbesBefore.put(name, writable.get().startedAt());
        elect(name, Reason.PROMOTED);
        publish();
        return true;
    }

    private Optional<ProbeSuccess> awaitWritable(BackendSettings backend, long promoteStart) {
        long deadline = promoteStart + failover.promoteTimeout().toNanos();
        Duration pause = health.interval().compareTo(Duration.ofMillis(100)) < 0 ? health.interval()
                : Duration.ofMillis(100);
        while (true) {
            ProbeOutcome outcome = control.inspect(backend, health.timeout().plus(health.connectTimeout()));
            if (outcome instanceof ProbeSuccess success && !success.observation().inRecovery()) {
                return Optional.of(success);
            }
            if (time.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return Optional.empty();
            }
            time.sleep(pause);
        }
    }

    /** After a new primary is elected: rejoin the old one if configured, make the others follow. */
    private void afterElection(String primary, Optional<String> old, String event) {
        followEvent = event;
        for (NodeState node : nodes.values()) {
            if (!node.name().equals(primary) && !node.fenced()) {
                followDue.put(node.name(), Instant.MIN);
            }
        }
        old.ifPresent(name -> rejoin(name, event));
        followPending();
    }

    // ------------------------------------------------------------------ switchover

    /**
     * A planned switchover to {@code candidate} (or the best standby): hold new transactions, wait
     * for sessions to be idle, soft-fence the primary and end its (idle) sessions, wait for the
     * candidate to replay the primary's last position, promote it, elect it, resume. Before the
     * promotion any failure undoes the fence and resumes on the old primary.
     */
    public FailoverResult switchover(Optional<String> candidate) {
        long start = time.nanoTime();
        Optional<String> old = cluster.electedPrimary();
        Optional<NodeState> primary = old.map(nodes::get);
        if (primary.isEmpty() || primary.get().health() != Health.UP || !primary.get().writable()) {
            return switchoverRefused(old, Reason.NOT_HEALTHY, "switchover needs an elected primary that is up"
                    + " and writable; primary is " + primary.map(node -> node.name() + " " + node.health() + " "
                    + node.role()).orElse("none"), start);
        }
        if (candidate.isPresent() && !backends.containsKey(candidate.get())) {
            return switchoverRefused(old, Reason.NO_CANDIDATE, "no backend named " + candidate.get(), start);
        }
        CandidateSelector.Selection selection = selector.select(List.copyOf(nodes.values()), old,
                primary.get().currentLsn(), candidate);
        Optional<NodeState> chosen = selection.candidates().stream()
                .filter(node -> streamsFrom(node, primary.get()))
                .findFirst();
        if (chosen.isEmpty()) {
            return switchoverRefused(old, Reason.NO_CANDIDATE, "no healthy standby streaming from " + old.get()
                    + " qualifies" + (selection.skipped().isEmpty() ? "" : ": " + selection.skipped()), start);
        }
        String target = chosen.get().name();
        BackendSettings targetBackend = backends.get(target);
        BackendSettings oldBackend = backends.get(old.get());
        Duration timeout = failover.switchoverTimeout();
        long deadline = start + timeout.toNanos();
        record(EventKind.SWITCHOVER_STARTED, old, Reason.SWITCHOVER, Outcome.OBSERVED,
                "from " + old.get() + " to " + target, Optional.empty());
        // Only the two nodes that change roles: reads on the other standbys go on.
        gate.pause(Set.of(old.get(), target));
        boolean resumed = false;
        try {
            boolean idle;
            try {
                idle = gate.awaitIdle(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                idle = false;
            }
            if (!idle) {
                return switchoverFailed(old, Reason.SESSIONS_NOT_IDLE,
                        "sessions did not become idle within " + timeout.toMillis() + " ms", start);
            }
            // The proxy ends its sessions first, cleanly, as they are idle now. The soft fence then
            // terminates whatever bypasses the proxy: a session inside a transaction could still
            // commit after the position read below, and that commit would be lost.
            terminator.terminateSessions(old.get(), Reason.SWITCHOVER);
            ActionResult fenced = control.softFence(request(ActionKind.FENCE, "switchover", Reason.SWITCHOVER,
                    old, old, Optional.of(target)));
            recordAction(old.get(), Reason.SWITCHOVER, fenced);
            if (!fenced.succeeded()) {
                undoSoftFence(old.get());
                return switchoverFailed(old, Reason.SWITCHOVER, "soft fence of " + old.get() + " failed: "
                        + fenced.output(), start);
            }
            ProbeOutcome last = control.inspect(oldBackend, health.timeout().plus(health.connectTimeout()));
            if (!(last instanceof ProbeSuccess lastSuccess) || lastSuccess.observation().currentLsn().isEmpty()) {
                undoSoftFence(old.get());
                return switchoverFailed(old, Reason.SWITCHOVER, "could not read the last WAL position of "
                        + old.get() + ": " + last, start);
            }
            Lsn lastPosition = lastSuccess.observation().currentLsn().get();
            if (!awaitReplay(targetBackend, lastPosition, deadline)) {
                undoSoftFence(old.get());
                return switchoverFailed(old, Reason.CATCH_UP_TIMEOUT, target + " did not replay " + lastPosition
                        + " within " + timeout.toMillis() + " ms", start);
            }
            ClusterState before = cluster;
            fenceNode(old.get(), Reason.SWITCHOVER, "switchover", false);
            replacedPrimary = old;
            if (!promote(target, old, Reason.SWITCHOVER, "switchover")) {
                // The candidate stayed a standby: give the primary back, unfenced and elected as before.
                saveState(before);
                nodes.computeIfPresent(old.get(), (name, node) -> node.withFenced(false));
                rogue.remove(old.get());
                undoSoftFence(old.get());
                publish();
                return switchoverFailed(old, Reason.NOT_WRITABLE_IN_TIME, target + " was not promoted; "
                        + old.get() + " stays primary", start);
            }
            // The new primary is elected and published: held sessions may go on before the fence
            // action and the standbys' follow run, which can take a while.
            gate.resume();
            resumed = true;
            String message = target + " promoted and elected at epoch " + cluster.epoch() + "; write pause "
                    + since(start).toMillis() + " ms";
            record(EventKind.SWITCHOVER_COMPLETED, Optional.of(target), Reason.SWITCHOVER, Outcome.SUCCEEDED,
                    message, Optional.empty());
            runFenceAction(old.get(), Reason.SWITCHOVER, "switchover");
            afterElection(target, old, "switchover");
            return new FailoverResult(true, old, Optional.of(target), cluster.epoch(), Reason.SWITCHOVER, message,
                    since(start));
        } finally {
            if (!resumed) {
                gate.resume();
            }
            publish();
        }
    }

    private boolean awaitReplay(BackendSettings standby, Lsn position, long deadline) {
        Duration pause = health.interval().compareTo(Duration.ofMillis(50)) < 0 ? health.interval()
                : Duration.ofMillis(50);
        while (true) {
            ProbeOutcome outcome = control.inspect(standby, health.timeout().plus(health.connectTimeout()));
            if (outcome instanceof ProbeSuccess success && success.observation().replayLsn()
                    .map(replayed -> replayed.compareTo(position) >= 0).orElse(false)) {
                return true;
            }
            if (time.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            time.sleep(pause);
        }
    }

    private void undoSoftFence(String name) {
        Optional<String> error = control.liftSoftFence(backends.get(name));
        record(EventKind.NODE_UNFENCED, Optional.of(name), Reason.SWITCHOVER,
                error.isEmpty() ? Outcome.SUCCEEDED : Outcome.FAILED,
                error.map(message -> "could not lift the soft fence: " + message)
                        .orElse("soft fence lifted: the switchover was abandoned"), Optional.empty());
    }

    private FailoverResult switchoverRefused(Optional<String> old, Reason reason, String message, long start) {
        record(EventKind.SWITCHOVER_FAILED, old, reason, Outcome.REFUSED, message, Optional.empty());
        return new FailoverResult(false, old, Optional.empty(), cluster.epoch(), reason, message, since(start));
    }

    private FailoverResult switchoverFailed(Optional<String> old, Reason reason, String message, long start) {
        record(EventKind.SWITCHOVER_FAILED, old, reason, Outcome.FAILED, message, Optional.empty());
        return new FailoverResult(false, old, Optional.empty(), cluster.epoch(), reason, message, since(start));
    }

    // ------------------------------------------------------------------ fencing

    /** Fences a node at an operator's request. Fencing the elected primary leaves no primary elected. */
    public CommandResult fence(String name) {
        if (!backends.containsKey(name)) {
            return new CommandResult(false, "no backend named " + name);
        }
        if (cluster.isFenced(name)) {
            return new CommandResult(true, name + " is already fenced");
        }
        fenceNode(name, Reason.OPERATOR_REQUEST, "operator-fence");
        publish();
        return new CommandResult(true, name + " fenced");
    }

    /**
     * Unfences a node at an operator's request. Refused while the node reports itself writable
     * without being elected: it would at once be a rogue primary again.
     */
    public CommandResult unfence(String name) {
        if (!backends.containsKey(name)) {
            return new CommandResult(false, "no backend named " + name);
        }
        if (!cluster.isFenced(name)) {
            return new CommandResult(true, name + " is not fenced");
        }
        NodeState node = nodes.get(name);
        if (node.writable() && !cluster.electedPrimary().map(name::equals).orElse(false)
                && cluster.electedPrimary().isPresent()) {
            String message = name + " reports itself writable while " + cluster.electedPrimary().get()
                    + " is the elected primary: make it a standby first";
            record(EventKind.NODE_UNFENCED, Optional.of(name), Reason.OPERATOR_REQUEST, Outcome.REFUSED, message,
                    Optional.empty());
            return new CommandResult(false, message);
        }
        unfenceNode(name, Reason.OPERATOR_REQUEST, "operator request");
        evaluate();
        publish();
        return new CommandResult(true, name + " unfenced");
    }

    private void fenceNode(String name, Reason reason, String event) {
        fenceNode(name, reason, event, true);
    }

    /**
     * Stops routing to the node at once (published before anything slow runs), ends its sessions,
     * soft-fences it when it is reachable (not in external mode), runs the fence action, and
     * persists the fence.
     */
    private void fenceNode(String name, Reason reason, String event, boolean runFenceAction) {
        if (!cluster.isFenced(name)) {
            saveState(cluster.fence(name));
            nodes.computeIfPresent(name, (key, node) -> node.withFenced(true));
            record(EventKind.NODE_FENCED, Optional.of(name), reason, Outcome.SUCCEEDED,
                    "no longer routed" + (cluster.electedPrimary().isEmpty() ? "; no primary is elected" : ""),
                    Optional.empty());
        }
        rejoinAttempted.remove(name);
        followDue.remove(name);
        publish();
        terminator.terminateSessions(name, reason);
        if (failover.mode() != FailoverMode.EXTERNAL && reason != Reason.SWITCHOVER) {
            softFence(name, reason, event);
        }
        if (runFenceAction) {
            runFenceAction(name, reason, event);
        }
    }

    private void softFence(String name, Reason reason, String event) {
        softFenceRetryAt.put(name, time.now().plus(retryPause()));
        if (nodes.get(name).health() == Health.DOWN) {
            recordAction(name, Reason.NODE_UNREACHABLE, ActionResult.notRun(ActionKind.FENCE, "built-in soft fence",
                    name + " is unreachable; the soft fence is applied if it comes back writable"));
            return;
        }
        ActionResult result = control.softFence(request(ActionKind.FENCE, event, reason, Optional.of(name),
                cluster.electedPrimary().filter(primary -> !primary.equals(name)).or(() -> Optional.of(name)),
                cluster.electedPrimary()));
        recordAction(name, reason, result);
    }

    private void runFenceAction(String name, Reason reason, String event) {
        FailoverAction fence = actions.get(ActionKind.FENCE);
        if (!actions.configured(ActionKind.FENCE)) {
            return;
        }
        if (fence.needsReachableNode() && nodes.get(name).health() == Health.DOWN) {
            recordAction(name, Reason.NODE_UNREACHABLE, ActionResult.notRun(ActionKind.FENCE, fence.description(),
                    name + " is unreachable"));
            return;
        }
        ActionResult result = fence.run(request(ActionKind.FENCE, event, reason, Optional.of(name), Optional.of(name),
                cluster.electedPrimary()));
        recordAction(name, reason, result);
    }

    /** With {@code auto-rejoin}, runs the rejoin action once per fence episode, when one is configured. */
    private void rejoin(String name, String event) {
        if (!failover.autoRejoin() || !actions.configured(ActionKind.REJOIN) || !rejoinAttempted.add(name)
                || cluster.electedPrimary().isEmpty()) {
            return;
        }
        ActionResult result = actions.get(ActionKind.REJOIN).run(request(ActionKind.REJOIN, event,
                Reason.REJOIN_FENCED_NODE, Optional.of(name), Optional.of(name), cluster.electedPrimary()));
        recordAction(name, Reason.REJOIN_FENCED_NODE, result);
    }

    private void unfenceNode(String name, Reason reason, String why) {
        saveState(cluster.unfence(name));
        nodes.computeIfPresent(name, (key, node) -> node.withFenced(false));
        rogue.remove(name);
        rejoinAttempted.remove(name);
        softFenceRetryAt.remove(name);
        NodeState node = nodes.get(name);
        String lifted = "";
        if (node.health() != Health.DOWN && node.readOnlyByDefault()) {
            Optional<String> error = control.liftSoftFence(backends.get(name));
            lifted = error.map(message -> "; could not lift the soft fence: " + message)
                    .orElse("; soft fence lifted");
        }
        record(EventKind.NODE_UNFENCED, Optional.of(name), reason, Outcome.SUCCEEDED, why + lifted, Optional.empty());
    }

    // ------------------------------------------------------------------ reload

    /**
     * Applies a reloaded configuration while running: backends added, removed, moved to another
     * address or given another priority, and new health and failover settings. An added node
     * starts DOWN until its first probe answers, like every node at start; a removed or moved node
     * has its sessions ended first, then leaves the topology (a moved one comes back DOWN at its
     * new address). A removed node's fence is forgotten, as a restart forgets the fences of nodes
     * no longer configured; a moved node stays fenced.
     *
     * <p>Refused whole, changing nothing, when it would remove the elected primary or change its
     * address: routing would lose its primary without a failover. Switch over first.
     *
     * @param next every backend, in configuration order
     * @param actions the actions of {@code failover} (the same set when they did not change)
     * @param control direct SQL on nodes with {@code failover}'s fence timeout
     * @return why it was refused, each naming the key; empty when applied
     */
    public List<ConfigProblem> reconfigure(
            List<BackendSettings> next, HealthSettings health, FailoverSettings failover, ActionSet actions,
            NodeControl control) {
        Map<String, BackendSettings> wanted = new LinkedHashMap<>();
        for (BackendSettings backend : next) {
            if (wanted.put(backend.name(), backend) != null) {
                throw new IllegalArgumentException("duplicate backend name " + backend.name());
            }
        }
        List<ConfigProblem> refused = refusals(next, wanted);
        if (!refused.isEmpty()) {
            return refused;
        }
        applySettings(health, failover, actions, control);
        ClusterState state = cluster;
        boolean changed = false;
        for (String name : List.copyOf(backends.keySet())) {
            if (!wanted.containsKey(name)) {
                state = removeNode(name, state);
                changed = true;
            }
        }
        Map<String, NodeState> reordered = new LinkedHashMap<>();
        for (BackendSettings backend : next) {
            BackendSettings before = backends.get(backend.name());
            NodeState node = nodes.get(backend.name());
            if (before == null) {
                node = addNode(backend, state);
            } else if (!before.host().equals(backend.host()) || before.port() != backend.port()) {
                node = moveNode(before, backend, state);
            } else if (before.priority() != backend.priority()) {
                node = node.withPriority(backend.priority());
                record(EventKind.NODE_CHANGED, Optional.of(backend.name()), Reason.CONFIGURATION_RELOADED,
                        Outcome.SUCCEEDED, "failover priority " + before.priority() + " -> " + backend.priority(),
                        Optional.empty());
            }
            reordered.put(backend.name(), node);
        }
        changed |= !List.copyOf(reordered.values()).equals(List.copyOf(nodes.values()));
        backends.clear();
        backends.putAll(wanted);
        nodes.clear();
        nodes.putAll(reordered);
        if (!state.equals(cluster)) {
            saveState(state);
        }
        if (changed) {
            publish();
        }
        return List.of();
    }

    /** The elected primary stays, at its address: without it nothing routes writes. */
    private List<ConfigProblem> refusals(List<BackendSettings> next, Map<String, BackendSettings> wanted) {
        Optional<String> elected = cluster.electedPrimary();
        if (elected.isEmpty()) {
            return List.of();
        }
        String primary = elected.get();
        BackendSettings now = backends.get(primary);
        BackendSettings then = wanted.get(primary);
        String remedy = ": switch over (or fail over) to another node first, then reload again";
        if (then == null) {
            return List.of(new ConfigProblem("pgwarden.backends", Optional.empty(), primary
                    + " is the elected primary (epoch " + cluster.epoch() + ") and cannot be removed while it is"
                    + remedy, Optional.empty()));
        }
        if (!now.host().equals(then.host()) || now.port() != then.port()) {
            int index = next.indexOf(then);
            boolean hostChanged = !now.host().equals(then.host());
            String key = "pgwarden.backends[" + index + "]." + (hostChanged ? "host" : "port");
            String value = hostChanged ? "\"" + then.host() + "\"" : String.valueOf(then.port());
            return List.of(new ConfigProblem(key, Optional.of(value), primary + " is the elected primary (epoch "
                    + cluster.epoch() + ") at " + NodeState.initial(now).address()
                    + "; its address cannot change while it is" + remedy, Optional.empty()));
        }
        return List.of();
    }

    private void applySettings(
            HealthSettings health, FailoverSettings failover, ActionSet actions, NodeControl control) {
        List<String> changed = new ArrayList<>();
        if (!this.health.equals(health)) {
            changed.add("health");
        }
        if (!this.failover.equals(failover)) {
            changed.add(this.failover.mode() == failover.mode() ? "failover" : "failover (mode "
                    + this.failover.mode().configName() + " -> " + failover.mode().configName() + ")");
        }
        this.health = Objects.requireNonNull(health, "health");
        this.failover = Objects.requireNonNull(failover, "failover");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.control = Objects.requireNonNull(control, "control");
        this.selector = new CandidateSelector(failover.maxLagOnFailover());
        if (!changed.isEmpty()) {
            record(EventKind.SETTINGS_CHANGED, Optional.empty(), Reason.CONFIGURATION_RELOADED, Outcome.SUCCEEDED,
                    String.join(" and ", changed) + " settings reloaded", Optional.empty());
        }
    }

    private ClusterState removeNode(String name, ClusterState state) {
        boolean fenced = state.isFenced(name);
        // Sessions end with a message that names the reload; publishing afterwards stops routing.
        terminator.terminateSessions(name, Reason.CONFIGURATION_RELOADED);
        forget(name);
        nodes.remove(name);
        record(EventKind.NODE_REMOVED, Optional.of(name), Reason.CONFIGURATION_RELOADED, Outcome.SUCCEEDED,
                "no longer configured: not probed or routed any more" + (fenced ? "; its fence is forgotten" : ""),
                Optional.empty());
        return fenced ? state.unfence(name) : state;
    }

    private NodeState addNode(BackendSettings backend, ClusterState state) {
        forget(backend.name());
        ignoreProbesBefore.put(backend.name(), time.now());
        NodeState node = NodeState.initial(backend).withFenced(state.isFenced(backend.name()));
        record(EventKind.NODE_ADDED, Optional.of(backend.name()), Reason.CONFIGURATION_RELOADED, Outcome.SUCCEEDED,
                "added at " + node.address() + " (priority " + backend.priority() + "): probed from now on,"
                        + " routed once it answers", Optional.empty());
        return node;
    }

    /** Another address is another server: nothing known of the old one holds, and its sessions end. */
    private NodeState moveNode(BackendSettings before, BackendSettings after, ClusterState state) {
        terminator.terminateSessions(after.name(), Reason.CONFIGURATION_RELOADED);
        forget(after.name());
        ignoreProbesBefore.put(after.name(), time.now());
        NodeState node = NodeState.initial(after).withFenced(state.isFenced(after.name()));
        record(EventKind.NODE_CHANGED, Optional.of(after.name()), Reason.CONFIGURATION_RELOADED, Outcome.SUCCEEDED,
                "address " + NodeState.initial(before).address() + " -> " + node.address()
                        + (before.priority() != after.priority()
                                ? ", failover priority " + before.priority() + " -> " + after.priority() : "")
                        + ": probed anew", Optional.empty());
        return node;
    }

    /** Drops what the coordinator remembers of a node between probes. */
    private void forget(String name) {
        ignoreProbesBefore.remove(name);
        rogue.remove(name);
        softFenceRetryAt.remove(name);
        followDue.remove(name);
        rejoinAttempted.remove(name);
    }

    // ------------------------------------------------------------------ state

    private void elect(String name, Reason reason) {
        saveState(cluster.elect(name));
        nodes.computeIfPresent(name, (key, node) -> node.withFenced(false));
        rogue.remove(name);
        lossReported = false;
        failoverHeld = Optional.empty();
        failoverPending = false;
        multipleWritableReported = false;
        failoverRetryAt = Instant.MIN;
        record(EventKind.PRIMARY_ELECTED, Optional.of(name), reason, Outcome.SUCCEEDED,
                name + " is the primary of epoch " + cluster.epoch(), Optional.empty());
    }

    /**
     * Persists before anything acts on the new state. A failed save is recorded and the change
     * still applies in memory: refusing it would leave the cluster without a primary, and a
     * restart would refuse to start on an unreadable file rather than trust it.
     */
    private void saveState(ClusterState next) {
        try {
            store.save(next);
        } catch (IOException | RuntimeException e) {
            record(EventKind.STATE_SAVE_FAILED, Optional.empty(), Reason.STORAGE_ERROR, Outcome.FAILED,
                    "epoch " + next.epoch() + ", elected " + next.electedPrimary().orElse("none") + ", fenced "
                            + next.fenced() + ": " + e.getMessage(), Optional.empty());
        }
        cluster = next;
    }

    private void publish() {
        version++;
        publisher.publish(snapshot());
    }

    private Topology snapshot() {
        Optional<Lsn> primaryLsn = cluster.electedPrimary().map(nodes::get).flatMap(NodeState::currentLsn);
        List<NodeState> withLag = new ArrayList<>(nodes.size());
        for (NodeState node : nodes.values()) {
            OptionalLong lag = OptionalLong.empty();
            if (node.role() == Role.STANDBY && primaryLsn.isPresent()) {
                Optional<Lsn> replayed = node.replayLsn().or(node::receiveLsn);
                if (replayed.isPresent()) {
                    lag = OptionalLong.of(Math.max(0, primaryLsn.get().minus(replayed.get())));
                }
            }
            withLag.add(node.withLagBytes(lag));
        }
        return new Topology(cluster.epoch(), version, cluster.electedPrimary(), withLag, time.now());
    }

    // ------------------------------------------------------------------ helpers

    private ActionRequest request(
            ActionKind kind, String event, Reason reason, Optional<String> node, Optional<String> oldPrimary,
            Optional<String> newPrimary) {
        return request(kind, event, reason, cluster.epoch(), node, oldPrimary, newPrimary);
    }

    private ActionRequest request(
            ActionKind kind, String event, Reason reason, long epoch, Optional<String> node,
            Optional<String> oldPrimary, Optional<String> newPrimary) {
        Duration timeout = switch (kind) {
            case PROMOTE -> failover.promote().timeout();
            case FENCE -> failover.fence().timeout();
            case FOLLOW -> failover.follow().timeout();
            case REJOIN -> failover.rejoin().timeout();
            case ON_STATE_CHANGE -> failover.onStateChange().timeout();
        };
        return new ActionRequest(kind, event, wireName(reason), epoch, time.now(), node.map(backends::get),
                oldPrimary.map(backends::get), newPrimary.map(backends::get), timeout, Map.of());
    }

    static String wireName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private void recordAction(String node, Reason reason, ActionResult result) {
        Outcome outcome = switch (result.status()) {
            case SUCCEEDED -> Outcome.SUCCEEDED;
            case FAILED, TIMED_OUT -> Outcome.FAILED;
            case NOT_RUN -> Outcome.SKIPPED;
        };
        record(EventKind.ACTION_COMPLETED, Optional.of(node), reason, outcome, result.kind().configName() + " "
                + result.status().name().toLowerCase(Locale.ROOT), Optional.of(result));
    }

    private void record(
            EventKind kind, Optional<String> node, Reason reason, Outcome outcome, String message,
            Optional<ActionResult> action) {
        events.record(cluster.epoch(), kind, node, reason, outcome, message, action);
    }

    /** Pause before retrying a failed failover, follow or soft fence: long enough not to flood the event log. */
    private Duration retryPause() {
        Duration tenProbes = health.interval().multipliedBy(10);
        return tenProbes.compareTo(failover.promoteTimeout()) > 0 ? tenProbes : failover.promoteTimeout();
    }

    private Duration since(long start) {
        return Duration.ofNanos(time.nanoTime() - start);
    }

    private static String names(List<NodeState> nodes) {
        return nodes.stream().map(NodeState::name).toList().toString();
    }
}
