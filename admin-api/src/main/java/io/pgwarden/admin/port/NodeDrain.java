package io.pgwarden.admin.port;

import java.util.Set;

/**
 * Takes a backend out of routing gently: no new session is sent to it, sessions already on it
 * go on until their clients end them. Fencing, by contrast, ends them at once. The proxy
 * implements it; a drain lasts until the process restarts or a reload names the node anew.
 */
public interface NodeDrain {

    /** No proxy: nothing to drain. */
    NodeDrain NONE = new NodeDrain() {
        @Override
        public int drain(String node) {
            return 0;
        }

        @Override
        public Set<String> draining() {
            return Set.of();
        }
    };

    /**
     * Stops routing new sessions to {@code node} (a configured backend; the admin API checks the
     * name first). Idempotent.
     *
     * @return client sessions still bound to it
     */
    int drain(String node);

    /** Nodes drained now. */
    Set<String> draining();
}
