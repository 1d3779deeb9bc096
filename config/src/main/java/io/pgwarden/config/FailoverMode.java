package io.pgwarden.config;

/** Who promotes a standby when the primary is lost: {@code pgwarden.failover.mode}. */
public enum FailoverMode implements ConfigEnum {
    /** pgwarden detects the loss, fences the old primary and promotes the best standby itself. */
    AUTOMATIC("automatic"),
    /** pgwarden detects and reports; an operator triggers failover through the admin API. */
    MANUAL("manual"),
    /**
     * Another manager (Patroni, pg_auto_failover, repmgr) promotes; pgwarden follows the
     * node that becomes writable and still refuses a second one.
     */
    EXTERNAL("external");

    private final String configName;

    FailoverMode(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
