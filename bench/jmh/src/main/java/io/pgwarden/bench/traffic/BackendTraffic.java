package io.pgwarden.bench.traffic;

/** Server-to-client traffic the proxy relays, as benchmark workloads. */
public enum BackendTraffic {
    /**
     * pgbench's TPC-B-like transaction in the simple protocol: BEGIN, three UPDATEs, a
     * one-row SELECT, an INSERT, COMMIT; every statement answered by CommandComplete and
     * ReadyForQuery. About 30 bytes per message: the header-heavy worst case.
     */
    SMALL,
    /** Result sets of five columns, rows of about 100 bytes. */
    DATA_ROWS,
    /** COPY TO STDOUT in 1 MB CopyData messages. */
    COPY_DATA
}
