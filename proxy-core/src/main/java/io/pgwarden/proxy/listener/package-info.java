/**
 * The proxy's server side: {@link io.pgwarden.proxy.listener.ProxyServer} binds one socket per
 * configured listener on native epoll (or NIO), and counts client connections against the limit.
 */
package io.pgwarden.proxy.listener;
