/**
 * One client session from accept to close: the startup phase (SSL and GSS negotiation, cancel
 * requests, the StartupMessage), holding while no backend is eligible, the passthrough
 * authentication exchange, and the forwarding hot path, which relays raw buffers both ways and
 * scans them in place.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-flow.html">Message Flow</a>
 */
package io.pgwarden.proxy.session;
