package io.pgwarden.admin.port;

import java.util.List;

/**
 * The proxy's client sessions, listed and ended by the admin API. Called on admin threads, never
 * on the proxy's event loops; both methods must return quickly.
 */
public interface SessionDirectory {

    /** No proxy: no sessions. */
    SessionDirectory NONE = new SessionDirectory() {
        @Override
        public List<ClientSession> sessions() {
            return List.of();
        }

        @Override
        public boolean terminate(long id) {
            return false;
        }
    };

    /** Every open client session, in any order. */
    List<ClientSession> sessions();

    /**
     * Ends a session: the client gets a FATAL {@code ErrorResponse} (57P01, administrator command)
     * and both connections are closed. The closing may finish after the call returns.
     *
     * @return false when no session has this id
     */
    boolean terminate(long id);
}
