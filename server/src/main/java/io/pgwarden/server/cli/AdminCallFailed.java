package io.pgwarden.server.cli;

/**
 * A call to the admin API that did not succeed, with the one line to show and the exit status.
 */
final class AdminCallFailed extends Exception {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    AdminCallFailed(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
