/**
 * Which backend a new session of a listener goes to, and whether a bound session may stay when
 * the topology changes.
 */
package io.pgwarden.proxy.routing;
