/**
 * Password authentication as PostgreSQL performs it: MD5 hashing, SCRAM-SHA-256 for both the
 * client and the server side (RFC 5802, RFC 7677, with PostgreSQL's SASLprep rule and
 * verifier format), and rewriting of the SASL mechanism list offered by a server.
 *
 * @see <a href="https://www.postgresql.org/docs/current/sasl-authentication.html">SASL Authentication</a>
 */
package io.pgwarden.protocol.auth;
