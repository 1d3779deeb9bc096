package io.pgwarden.health.failover;

import java.time.Duration;

/**
 * Holds new transactions during a planned switchover. The proxy implements it: {@link #pause()}
 * stops starting new transactions (queries of sessions that are idle between transactions are
 * held, new sessions are held), {@link #awaitIdle} waits until every session is between
 * transactions ({@code ReadyForQuery} with status idle), {@link #resume()} lets traffic go on,
 * to whatever the topology then names as primary.
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

    void pause();

    /** @return whether every session became idle within {@code timeout} */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    void resume();
}
