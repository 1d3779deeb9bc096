package io.pgwarden.health.failover;

import java.time.Duration;
import java.util.Set;

/**
 * Holds new transactions during a planned switchover. The proxy implements it: {@link #pause()}
 * stops starting new transactions (queries of sessions that are idle between transactions are
 * held, new sessions are held), {@link #awaitIdle} waits until every session is between
 * transactions ({@code ReadyForQuery} with status idle), {@link #resume()} lets traffic go on,
 * to whatever the topology then names as primary. A switchover pauses only the nodes it
 * changes ({@link #pause(Set)}): sessions on the other standbys go on meanwhile.
 */
public interface TrafficGate {

    /** A gate that holds nothing and is always idle. */
    TrafficGate NONE = new TrafficGate() {
        @Override
        public void pause() {
        }

        @Override
        public boolean awaitIdle(Duration timeout) {
            return true;
        }

        @Override
        public void resume() {
        }
    };

    /** Holds new transactions on every node. */
    void pause();

    /**
     * Holds new transactions of sessions on {@code nodes}, and new sessions that need the
     * primary; {@link #awaitIdle} then waits for those sessions only. A gate that cannot tell
     * nodes apart holds everything, which is safe, only slower.
     */
    default void pause(Set<String> nodes) {
        pause();
    }

    /** @return whether every session the pause covers became idle within {@code timeout} */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    void resume();
}
