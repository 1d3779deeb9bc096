package io.pgwarden.cluster;

/**
 * Shutdown modes of {@code pg_ctl stop}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/server-shutdown.html">Shutting Down the Server</a>
 */
public enum StopMode {
    /** Waits for every client to disconnect. */
    SMART("smart"),
    /** Ends sessions, then a clean shutdown with a checkpoint. */
    FAST("fast"),
    /** Quits at once without a checkpoint; the next start runs crash recovery. */
    IMMEDIATE("immediate");

    private final String pgCtlName;

    StopMode(String pgCtlName) {
        this.pgCtlName = pgCtlName;
    }

    /** The value of {@code pg_ctl stop -m}. */
    public String pgCtlName() {
        return pgCtlName;
    }
}
