package io.pgwarden.proxy.listener;

/** The proxy could not start: a listener could not bind, or a TLS file is unusable. */
public class ProxyStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProxyStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
