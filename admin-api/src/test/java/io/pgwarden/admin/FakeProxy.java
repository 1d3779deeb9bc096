package io.pgwarden.admin;

import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.admin.port.ClientSession;
import io.pgwarden.admin.port.NodeDrain;
import io.pgwarden.admin.port.ProxyStats;
import io.pgwarden.admin.port.Readiness;
import io.pgwarden.admin.port.ReloadOutcome;
import io.pgwarden.admin.port.Reloader;
import io.pgwarden.admin.port.SessionDirectory;
import io.pgwarden.admin.port.SessionState;
import io.pgwarden.admin.port.TrafficControl;
import io.pgwarden.health.failover.TrafficGate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The proxy side of the admin API, as the proxy would behave: sessions in a map, counters in
 * adders, a pause flag, a drain set. Also a {@link TrafficGate} for the coordinator, whose
 * {@code awaitIdle} a test can hold to keep a switchover in progress.
 */
public final class FakeProxy implements SessionDirectory, NodeDrain, TrafficControl, Readiness, ProxyStats, TrafficGate {

    public final Map<Long, ClientSession> sessions = new ConcurrentHashMap<>();
    public final Set<String> drained = ConcurrentHashMap.newKeySet();
    public final Map<ListenerState, AtomicLong> connections = new ConcurrentHashMap<>();
    public final Map<String, AtomicLong> backendSessions = new ConcurrentHashMap<>();
    public final Map<RoutedTo, LongAdder> routed = new ConcurrentHashMap<>();
    public final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    public final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    public final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    public final Map<String, LongAdder> authFailures = new ConcurrentHashMap<>();
    public volatile boolean paused;
    public volatile boolean listenersBound = true;
    public volatile Supplier<ReloadOutcome> reload = () -> new ReloadOutcome(java.util.List.of(), java.util.List.of());
    /** Set to hold the coordinator's next {@code awaitIdle} until {@link #releaseIdle()}. */
    private volatile CountDownLatch idleGate;
    public final CountDownLatch awaitingIdle = new CountDownLatch(1);
    public final AtomicLong gatePauses = new AtomicLong();

    public AdminPorts ports() {
        Reloader reloader = () -> reload.get();
        return new AdminPorts(this, this, this, this, this, reloader);
    }

    public void holdNextIdleWait() {
        idleGate = new CountDownLatch(1);
    }

    public void releaseIdle() {
        CountDownLatch gate = idleGate;
        if (gate != null) {
            gate.countDown();
        }
    }

    public void connection(String listener, SessionState state, long count) {
        connections.computeIfAbsent(new ListenerState(listener, state), key -> new AtomicLong()).set(count);
    }

    // SessionDirectory

    @Override
    public java.util.List<ClientSession> sessions() {
        return java.util.List.copyOf(sessions.values());
    }

    @Override
    public boolean terminate(long id) {
        return sessions.remove(id) != null;
    }

    // NodeDrain

    @Override
    public int drain(String node) {
        drained.add(node);
        return (int) sessions.values().stream().filter(s -> s.node().equals(Optional.of(node))).count();
    }

    @Override
    public Set<String> draining() {
        return Set.copyOf(drained);
    }

    // TrafficControl

    @Override
    public void pause() {
        paused = true;
        gatePauses.incrementAndGet();
    }

    @Override
    public void resume() {
        paused = false;
    }

    @Override
    public boolean paused() {
        return paused;
    }

    // TrafficGate (the coordinator's switchover)

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        CountDownLatch gate = idleGate;
        if (gate == null) {
            return true;
        }
        awaitingIdle.countDown();
        boolean released = gate.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        idleGate = null;
        return released;
    }

    // Readiness

    @Override
    public boolean listenersBound() {
        return listenersBound;
    }

    // ProxyStats

    @Override
    public Map<ListenerState, ? extends Number> clientConnections() {
        return connections;
    }

    @Override
    public Map<String, ? extends Number> backendSessions() {
        return backendSessions;
    }

    @Override
    public Map<RoutedTo, ? extends Number> sessionsRoutedTotal() {
        return routed;
    }

    @Override
    public Map<String, ? extends Number> clientBytesReceivedTotal() {
        return received;
    }

    @Override
    public Map<String, ? extends Number> clientBytesSentTotal() {
        return sent;
    }

    @Override
    public Map<String, ? extends Number> protocolErrorsTotal() {
        return errors;
    }

    @Override
    public Map<String, ? extends Number> authFailuresTotal() {
        return authFailures;
    }
}
