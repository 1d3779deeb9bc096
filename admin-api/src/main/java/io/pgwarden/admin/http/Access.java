package io.pgwarden.admin.http;

/** Who may call an endpoint. */
public enum Access {
    /** Anyone: liveness and readiness probes. */
    OPEN,
    /** Anyone, or token holders only when {@code pgwarden.admin.read-requires-token} is true. */
    READ,
    /** Token holders only, always. */
    MUTATE
}
