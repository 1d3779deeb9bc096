/**
 * One client session from accept to close: the startup phase (SSL and GSS negotiation, cancel
 * requests, the StartupMessage), holding while no backend is eligible, the passthrough
 * authentication exchange, and the forwarding hot path, which relays raw buffers both ways and
 * scans them in place. Around the sessions: their registry (directory for the admin API,
 * termination by node or id), the {@link io.pgwarden.proxy.session.SessionGate} that holds new
 * transactions during a planned switchover, and the
 * {@link io.pgwarden.proxy.session.ProxyStatistics} they record into.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-flow.html">Message Flow</a>
 */
package io.pgwarden.proxy.session;
