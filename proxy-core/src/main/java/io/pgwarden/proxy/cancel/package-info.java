/**
 * Cancel requests: the proxy hands clients its own keys in BackendKeyData and forwards a cancel
 * with the server's real key to the server that runs the session.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS">Canceling Requests in Progress</a>
 */
package io.pgwarden.proxy.cancel;
