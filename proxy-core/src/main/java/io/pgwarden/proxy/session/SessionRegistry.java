package io.pgwarden.proxy.session;

import io.pgwarden.proxy.topology.TopologyListener;
import io.pgwarden.proxy.topology.TopologySnapshot;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * The open client sessions of a proxy. It forwards each topology change to every session, on
 * the session's own event loop, where held sessions retry routing and sessions on a node that
 * is no longer eligible are ended.
 */
public final class SessionRegistry implements TopologyListener {

    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();

    void add(ClientSession session) {
        sessions.add(session);
    }

    void remove(ClientSession session) {
        sessions.remove(session);
    }

    @Override
    public void topologyChanged(TopologySnapshot snapshot) {
        for (ClientSession session : sessions) {
            runOn(session, session::topologyChanged);
        }
    }

    /** Ends every session with FATAL 57P01 and the given message, as a server shutdown does. */
    public void terminateAll(String message) {
        for (ClientSession session : sessions) {
            runOn(session, () -> session.terminate(message));
        }
    }

    private static void runOn(ClientSession session, Runnable task) {
        try {
            session.eventLoop().execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            // The event loop is stopping and closes the session's channels itself.
        }
    }

    /** Open sessions, in any state from accept to close. */
    public int size() {
        return sessions.size();
    }

    /** A point-in-time copy of the open sessions, for the admin API and tests. */
    public List<SessionInfo> list() {
        return sessions.stream().map(ClientSession::info).toList();
    }
}
