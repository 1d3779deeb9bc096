package io.pgwarden.admin.port;

/**
 * Operator hold of new transactions ({@code POST /api/v1/pause}, {@code /resume}): while paused,
 * new sessions and the next transaction of idle sessions wait, transactions already running
 * finish. The proxy implements it, usually with the same gate the coordinator uses for a
 * switchover ({@code io.pgwarden.health.failover.TrafficGate}).
 */
public interface TrafficControl {

    /** No proxy: nothing to hold, never paused. */
    TrafficControl NONE = new TrafficControl() {
        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public boolean paused() {
            return false;
        }
    };

    /** Holds new transactions from now on. Idempotent; returns at once. */
    void pause();

    /** Lets held transactions go on, to whatever the topology names now. Idempotent. */
    void resume();

    boolean paused();
}
