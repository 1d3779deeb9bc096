package io.pgwarden.proxy.session;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds new transactions while a planned switchover moves the primary, so that none is cut in
 * the middle and none is acknowledged by a server that then stops being the primary.
 *
 * <p>While paused:
 * <ul>
 *   <li>a session between transactions that receives the start of a new request (Query, Parse,
 *       Bind, FunctionCall) keeps that read buffer, forwards nothing of it and stops reading
 *       from its client;</li>
 *   <li>a session inside a transaction, or with a request in flight, goes on until the server
 *       reports it idle again, and is held at its next request;</li>
 *   <li>a new session is held before it connects to a backend, as while no primary is elected,
 *       within {@code limits.hold-timeout}.</li>
 * </ul>
 * {@link #resume()} lets every held session go on: a new one is routed by the topology of that
 * moment, a forwarding one sends its kept buffer to its own backend. A session whose node lost
 * its role in the meantime has been ended (57P01) by the topology change before it could send
 * anything, so the transaction it was about to start never began.
 *
 * <p>A pause covers every session, or only the sessions of some nodes ({@link #pause(Set)}): a
 * switchover holds the old primary and its candidate, while reads on the other standbys go on
 * and a long report there does not stand in its way. New sessions that need the primary are
 * held either way, as are new sessions routed to a node the pause covers.
 *
 * <p>The flag is shared; everything else happens on each session's event loop, where the
 * flag is read before deciding whether to forward. A check of the sessions posted after
 * {@link #pause()} therefore runs after any decision taken without seeing the pause.
 */
public final class SessionGate {

    private static final Logger log = LoggerFactory.getLogger(SessionGate.class);

    /** Re-check even without news from the sessions, in case one settled without telling. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Stands for every node; compared by identity. */
    private static final Set<String> EVERY_NODE = Set.of("\0every node");

    private final SessionRegistry sessions;
    private final Object settled = new Object();
    /** Counts sessions that reported settling while paused; guarded by {@link #settled}. */
    private long settledCount;
    /** The nodes whose sessions are held; {@link #EVERY_NODE} for all, null when not paused. */
    private volatile Set<String> pausedNodes;

    public SessionGate(SessionRegistry sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /** Stops new transactions from starting, on every node; idempotent. */
    public void pause() {
        if (pausedNodes != EVERY_NODE) {
            pausedNodes = EVERY_NODE;
            log.info("traffic paused: new transactions are held");
        }
    }

    /**
     * Stops new transactions on {@code nodes} and new sessions that need the primary; sessions
     * on other nodes go on. A pause of every node stays one.
     */
    public void pause(Set<String> nodes) {
        Objects.requireNonNull(nodes, "nodes");
        Set<String> current = pausedNodes;
        if (current == EVERY_NODE) {
            return;
        }
        Set<String> next = current == null ? Set.copyOf(nodes)
                : Set.copyOf(Stream.concat(current.stream(), nodes.stream()).toList());
        pausedNodes = next;
        log.info("traffic paused on {}: new transactions there, and new sessions for the primary, are held",
                next.stream().sorted().toList());
    }

    /**
     * Waits until every session the pause covers is quiet: between transactions with nothing in
     * flight, held, or not yet forwarding. Meaningful while paused; otherwise sessions may start
     * transactions again right after the answer.
     *
     * @return true once every session is quiet, false if one was not within {@code timeout}
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen;
            synchronized (settled) {
                seen = settledCount;
            }
            if (sessions.allQuiet(deadline)) {
                return true;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            synchronized (settled) {
                if (settledCount == seen) {
                    TimeUnit.NANOSECONDS.timedWait(settled, Math.min(remaining, RECHECK_NANOS));
                }
            }
        }
    }

    /** Lets held sessions and transactions go on; idempotent. */
    public void resume() {
        if (pausedNodes != null) {
            pausedNodes = null;
            log.info("traffic resumed");
        }
        // Posted after the flag is cleared: a session that held on seeing the old value runs
        // this after its hold, one that runs this first sees the flag cleared.
        sessions.gateOpened();
    }

    /** Whether any traffic is paused. */
    public boolean paused() {
        return pausedNodes != null;
    }

    /** Whether new transactions of sessions on {@code node} are held. */
    boolean holds(String node) {
        Set<String> nodes = pausedNodes;
        return nodes != null && (nodes == EVERY_NODE || nodes.contains(node));
    }

    /** Whether the pause covers every node (and so every new session). */
    boolean pausesEverything() {
        return pausedNodes == EVERY_NODE;
    }

    /** A session became quiet while paused: wakes {@link #awaitIdle} to check again. */
    void sessionSettled() {
        if (pausedNodes != null) {
            synchronized (settled) {
                settledCount++;
                settled.notifyAll();
            }
        }
    }
}
