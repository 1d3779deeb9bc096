package io.pgwarden.proxy.session;

import io.pgwarden.proxy.topology.BackendNode;
import io.pgwarden.proxy.topology.TopologyListener;
import io.pgwarden.proxy.topology.TopologySnapshot;
import io.pgwarden.proxy.topology.TopologySource;
import io.pgwarden.proxy.topology.TopologySubscription;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open client sessions of a proxy, by id. Whatever it asks of a session runs on the
 * session's own event loop: topology changes (held sessions retry routing, sessions on a node
 * that is no longer eligible end), terminations, and the traffic gate's checks.
 */
public final class SessionRegistry implements TopologyListener {

    private final Map<Long, ClientSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();

    long nextId() {
        return lastId.incrementAndGet();
    }

    void add(ClientSession session) {
        sessions.put(session.id(), session);
    }

    void remove(ClientSession session) {
        sessions.remove(session.id(), session);
    }

    /**
     * Subscribes the sessions, and the first-route measurement of {@code statistics}, to the
     * topology's changes.
     */
    public TopologySubscription follow(TopologySource topology, ProxyStatistics statistics) {
        TopologySubscription subscription = topology.subscribe(snapshot -> {
            statistics.topologyChanged(snapshot);
            topologyChanged(snapshot);
        });
        statistics.startedWith(topology.current());
        return subscription;
    }

    @Override
    public void topologyChanged(TopologySnapshot snapshot) {
        for (ClientSession session : sessions.values()) {
            runOn(session, session::topologyChanged);
        }
    }

    /** Held sessions try routing again: a node stopped draining. */
    public void routingChanged() {
        for (ClientSession session : sessions.values()) {
            runOn(session, session::retryRouting);
        }
    }

    /** Ends every session with FATAL 57P01 and the given message, as a server shutdown does. */
    public void terminateAll(String message) {
        for (ClientSession session : sessions.values()) {
            runOn(session, () -> session.terminate(message));
        }
    }

    /**
     * Ends every session bound to {@code node}, whether connecting, authenticating or
     * forwarding, with FATAL 57P01 and {@code message}. Returns at once; the sessions end on
     * their event loops. A session routed to the node after this call is not concerned: stop
     * routing there first (topology, drain).
     *
     * @return the sessions bound to the node when called
     */
    public int terminateSessions(String node, String message) {
        int count = 0;
        for (ClientSession session : sessions.values()) {
            BackendNode bound = session.node();
            if (bound != null && bound.name().equals(node) && session.state() != SessionState.CLOSED) {
                count++;
                runOn(session, () -> session.terminateOn(node, message));
            }
        }
        return count;
    }

    /**
     * Ends one session with FATAL 57P01 and {@code message}, on its event loop.
     *
     * @return whether a session with that id was open
     */
    public boolean terminateSession(long id, String message) {
        ClientSession session = sessions.get(id);
        if (session == null || session.state() == SessionState.CLOSED) {
            return false;
        }
        runOn(session, () -> session.terminate(message));
        return true;
    }

    void gateOpened() {
        for (ClientSession session : sessions.values()) {
            runOn(session, session::gateOpened);
        }
    }

    /**
     * Asks every session, on its event loop, whether it is quiet (see {@link SessionGate}).
     *
     * @param deadline {@link System#nanoTime()} by which all must have answered
     * @return true if all answered in time and all are quiet
     */
    boolean allQuiet(long deadline) throws InterruptedException {
        List<ClientSession> open = List.copyOf(sessions.values());
        if (open.isEmpty()) {
            return true;
        }
        CountDownLatch answered = new CountDownLatch(open.size());
        AtomicBoolean busy = new AtomicBoolean();
        for (ClientSession session : open) {
            Runnable check = () -> {
                if (!session.quiet()) {
                    busy.set(true);
                }
                answered.countDown();
            };
            if (!runOn(session, check)) {
                answered.countDown();
            }
        }
        return answered.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) && !busy.get();
    }

    private static boolean runOn(ClientSession session, Runnable task) {
        try {
            session.eventLoop().execute(task);
            return true;
        } catch (RejectedExecutionException shuttingDown) {
            // The event loop is stopping and closes the session's channels itself.
            return false;
        }
    }

    /** Open sessions, in any state from accept to close. */
    public int size() {
        return sessions.size();
    }

    /** A point-in-time copy of the open sessions, by id; sessions already closing are left out. */
    public List<SessionInfo> list() {
        List<SessionInfo> list = new ArrayList<>(sessions.size());
        for (ClientSession session : sessions.values()) {
            SessionInfo info = session.info();
            if (info.state() != SessionState.CLOSED) {
                list.add(info);
            }
        }
        list.sort(Comparator.comparingLong(SessionInfo::id));
        return list;
    }

    /** The session with this id, unless it is closed or closing. */
    public Optional<SessionInfo> find(long id) {
        return Optional.ofNullable(sessions.get(id)).map(ClientSession::info)
                .filter(info -> info.state() != SessionState.CLOSED);
    }

    /** Open sessions of a listener by state: every state but {@link SessionState#CLOSED}, zeros included. */
    Map<SessionState, Integer> countByState(String listener) {
        Map<SessionState, Integer> counts = new EnumMap<>(SessionState.class);
        for (SessionState state : SessionState.values()) {
            if (state != SessionState.CLOSED) {
                counts.put(state, 0);
            }
        }
        for (ClientSession session : sessions.values()) {
            SessionState state = session.state();
            if (state != SessionState.CLOSED && session.listenerName().equals(listener)) {
                counts.merge(state, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Open sessions bound to each node, by node name; nodes without sessions are left out. */
    Map<String, Integer> countByNode() {
        Map<String, Integer> counts = new TreeMap<>();
        for (ClientSession session : sessions.values()) {
            BackendNode bound = session.node();
            if (bound != null && session.state() != SessionState.CLOSED) {
                counts.merge(bound.name(), 1, Integer::sum);
            }
        }
        return counts;
    }

    int countInState(SessionState state) {
        int count = 0;
        for (ClientSession session : sessions.values()) {
            if (session.state() == state) {
                count++;
            }
        }
        return count;
    }
}
