package io.pgwarden.proxy.session;

import io.pgwarden.protocol.SqlState;
import io.pgwarden.proxy.topology.BackendNode;
import io.pgwarden.proxy.topology.TopologySnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the proxy counts, for the metrics endpoint. Readers see counters that only grow and
 * gauges computed at the time of the call; the public methods only read. Sessions record
 * through package-private methods: counters are {@link LongAdder}s reached without lookup on
 * the forwarding path, which records bytes once per read buffer and nothing per message.
 *
 * <p>Thread-safe.
 */
public final class ProxyStatistics {

    private static final Logger log = LoggerFactory.getLogger(ProxyStatistics.class);

    /** The codes of the proxy's own errors, to count an ErrorResponse by the constant it was built from. */
    private static final Map<String, SqlState> SQL_STATES = Arrays.stream(SqlState.values())
            .collect(Collectors.toUnmodifiableMap(SqlState::code, state -> state));

    private final Map<String, ListenerCounters> listeners;
    private final SessionRegistry sessions;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Map<SqlState, LongAdder> errorsSent = new EnumMap<>(SqlState.class);
    private final Map<String, Map<NodeRole, LongAdder>> routed = new ConcurrentHashMap<>();
    private final List<Consumer<FirstRouteAfterFailover>> firstRouteListeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<PrimaryAvailable> awaitingFirstRoute = new AtomicReference<>();
    private final Object primaryLock = new Object();
    private Optional<String> knownPrimary = Optional.empty();
    private volatile FirstRouteAfterFailover lastFirstRoute;

    /** A primary that became available and has not had a session routed to it yet. */
    private record PrimaryAvailable(String node, long epoch, long sinceNanos) {
    }

    /**
     * @param listenerNames the configured listeners, in order
     * @param sessions the sessions whose states the connection gauges count
     */
    public ProxyStatistics(List<String> listenerNames, SessionRegistry sessions) {
        this(listenerNames, sessions, Clock.systemUTC(), System::nanoTime);
    }

    ProxyStatistics(List<String> listenerNames, SessionRegistry sessions, Clock clock, LongSupplier nanoTime) {
        Map<String, ListenerCounters> byName = new LinkedHashMap<>();
        for (String name : listenerNames) {
            byName.put(name, new ListenerCounters());
        }
        this.listeners = Collections.unmodifiableMap(byName);
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        for (SqlState state : SqlState.values()) {
            errorsSent.put(state, new LongAdder());
        }
    }

    // ---- reading

    /** The listener names, in configuration order. */
    public List<String> listeners() {
        return List.copyOf(listeners.keySet());
    }

    /** Client connections accepted on a listener, cancel-request connections included (counter). */
    public long acceptedConnections(String listener) {
        return counters(listener).accepted.sum();
    }

    /** Client connections a listener refused before forwarding, for one reason (counter). */
    public long rejectedConnections(String listener, RejectReason reason) {
        return counters(listener).rejected(reason).sum();
    }

    /**
     * Open client connections of a listener by state (gauge): every state but
     * {@link SessionState#CLOSED}, zeros included.
     */
    public Map<SessionState, Integer> clientConnections(String listener) {
        counters(listener);
        return sessions.countByState(listener);
    }

    /** Open client connections of a listener, in any state (gauge). */
    public int openConnections(String listener) {
        return clientConnections(listener).values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Open sessions bound to each backend, connecting, authenticating or forwarding, by node
     * name; nodes without sessions are left out (gauge).
     */
    public Map<String, Integer> backendSessions() {
        return Collections.unmodifiableMap(sessions.countByNode());
    }

    /** {@link #backendSessions()} of one node; 0 when it has none. */
    public int backendSessions(String node) {
        return sessions.countByNode().getOrDefault(node, 0);
    }

    /** Sessions in state {@link SessionState#HELD}, on every listener (gauge). */
    public int heldSessions() {
        return sessions.countInState(SessionState.HELD);
    }

    /** Bytes relayed from clients of a listener to backends, from authentication on (counter). */
    public long bytesFromClients(String listener) {
        return counters(listener).bytesFromClients.sum();
    }

    /** Bytes relayed from backends to clients of a listener, from authentication on (counter). */
    public long bytesToClients(String listener) {
        return counters(listener).bytesToClients.sum();
    }

    /** {@link #bytesFromClients(String)} summed over the listeners. */
    public long bytesFromClients() {
        return listeners.values().stream().mapToLong(counters -> counters.bytesFromClients.sum()).sum();
    }

    /** {@link #bytesToClients(String)} summed over the listeners. */
    public long bytesToClients() {
        return listeners.values().stream().mapToLong(counters -> counters.bytesToClients.sum()).sum();
    }

    /**
     * Authentication failures a backend reported to clients of a listener: an ErrorResponse of
     * SQLSTATE class 28 during authentication (counter).
     */
    public long authenticationFailures(String listener) {
        return counters(listener).authenticationFailures.sum();
    }

    /** Sessions routed to a node in a role (counter); 0 for a node never routed to. */
    public long routedSessions(String node, NodeRole role) {
        Map<NodeRole, LongAdder> byRole = routed.get(node);
        return byRole == null ? 0 : byRole.get(role).sum();
    }

    /** {@link #routedSessions(String, NodeRole)} for every node routed to so far, by node name. */
    public Map<String, Map<NodeRole, Long>> routedSessions() {
        Map<String, Map<NodeRole, Long>> copy = new TreeMap<>();
        routed.forEach((node, byRole) -> {
            Map<NodeRole, Long> counts = new EnumMap<>(NodeRole.class);
            byRole.forEach((role, count) -> counts.put(role, count.sum()));
            copy.put(node, Collections.unmodifiableMap(counts));
        });
        return Collections.unmodifiableMap(copy);
    }

    /** ErrorResponses the proxy itself sent to clients with this SQLSTATE (counter). */
    public long errorsSent(SqlState sqlState) {
        return errorsSent.get(sqlState).sum();
    }

    /** {@link #errorsSent(SqlState)} for every SQLSTATE, zeros included. */
    public Map<SqlState, Long> errorsSent() {
        Map<SqlState, Long> copy = new EnumMap<>(SqlState.class);
        errorsSent.forEach((state, count) -> copy.put(state, count.sum()));
        return Collections.unmodifiableMap(copy);
    }

    /** The last {@link FirstRouteAfterFailover} measured, if any. */
    public Optional<FirstRouteAfterFailover> lastFirstRouteAfterFailover() {
        return Optional.ofNullable(lastFirstRoute);
    }

    /**
     * Calls {@code listener} with each {@link FirstRouteAfterFailover} from now on. It runs on
     * an event loop and must not block.
     *
     * @return ends the registration
     */
    public AutoCloseable onFirstRouteAfterFailover(Consumer<FirstRouteAfterFailover> listener) {
        Objects.requireNonNull(listener, "listener");
        firstRouteListeners.add(listener);
        return () -> firstRouteListeners.remove(listener);
    }

    private ListenerCounters counters(String listener) {
        ListenerCounters counters = listeners.get(listener);
        if (counters == null) {
            throw new IllegalArgumentException("no listener named " + listener);
        }
        return counters;
    }

    // ---- recording

    ListenerCounters listenerCounters(String listener) {
        return counters(listener);
    }

    void errorSent(String sqlState) {
        SqlState known = SQL_STATES.get(sqlState);
        if (known != null) {
            errorsSent.get(known).increment();
        }
    }

    /** The primary the proxy starts with is not a failover's. */
    void startedWith(TopologySnapshot snapshot) {
        synchronized (primaryLock) {
            knownPrimary = snapshot.primary().map(BackendNode::name);
        }
    }

    /** Notes a primary that a published snapshot makes available, starting the first-route clock. */
    void topologyChanged(TopologySnapshot snapshot) {
        long now = nanoTime.getAsLong();
        synchronized (primaryLock) {
            Optional<String> primary = snapshot.primary().map(BackendNode::name);
            if (primary.isPresent() && !primary.equals(knownPrimary)) {
                awaitingFirstRoute.set(new PrimaryAvailable(primary.get(), snapshot.epoch(), now));
            } else if (primary.isEmpty()) {
                awaitingFirstRoute.set(null);
            }
            knownPrimary = primary;
        }
    }

    void routed(BackendNode node, NodeRole role) {
        routed.computeIfAbsent(node.name(), name -> {
            Map<NodeRole, LongAdder> byRole = new EnumMap<>(NodeRole.class);
            for (NodeRole each : NodeRole.values()) {
                byRole.put(each, new LongAdder());
            }
            return byRole;
        }).get(role).increment();
        if (role != NodeRole.PRIMARY) {
            return;
        }
        PrimaryAvailable awaiting = awaitingFirstRoute.get();
        if (awaiting == null || !awaiting.node().equals(node.name())
                || !awaitingFirstRoute.compareAndSet(awaiting, null)) {
            return;
        }
        FirstRouteAfterFailover first = new FirstRouteAfterFailover(awaiting.node(), awaiting.epoch(),
                Duration.ofNanos(nanoTime.getAsLong() - awaiting.sinceNanos()), clock.instant());
        lastFirstRoute = first;
        for (Consumer<FirstRouteAfterFailover> listener : firstRouteListeners) {
            try {
                listener.accept(first);
            } catch (RuntimeException e) {
                log.warn("first-route listener failed on {}", first, e);
            }
        }
    }
}
