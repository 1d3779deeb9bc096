package io.pgwarden.cluster;

/** How {@link LocalCluster#rejoinAsStandby(LocalNode, LocalNode)} brought an old primary back. */
public enum RejoinMethod {
    /** {@code pg_rewind} rewound the old data directory to the new primary's timeline. */
    REWIND,
    /** The old data directory was replaced by a fresh base backup of the new primary. */
    CLONE
}
