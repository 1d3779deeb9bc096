package io.pgwarden.server.chaos;

/** What a chaos round does to the cluster. */
enum Fault {
    KILL_PRIMARY("kill -9 of the primary", true),
    SEVER_STANDBY_PATH("pgwarden's path to a standby cut, then healed", false),
    SIGSTOP_PRIMARY("SIGSTOP of the primary, SIGCONT after the failover", true),
    KILL_STANDBY("kill -9 of a standby", false),
    RESTARTED_OLD_PRIMARY("kill -9 of the primary, restarted as it was after the failover", true),
    SEVER_PRIMARY_PATH("pgwarden's path to the primary cut, then healed", false);

    private final String description;
    private final boolean failsOver;

    Fault(String description, boolean failsOver) {
        this.description = description;
        this.failsOver = failsOver;
    }

    String description() {
        return description;
    }

    /** Whether pgwarden must fail over: the primary is gone for everyone, not only for pgwarden. */
    boolean failsOver() {
        return failsOver;
    }
}
