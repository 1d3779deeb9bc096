package io.pgwarden.cluster;

/** A cluster operation failed; the message names the node, the command or query, and what the server said. */
public class LocalClusterException extends RuntimeException {

    public LocalClusterException(String message) {
        super(message);
    }

    public LocalClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
