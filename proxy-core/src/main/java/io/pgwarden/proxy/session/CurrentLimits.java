package io.pgwarden.proxy.session;

import io.pgwarden.config.LimitSettings;
import java.util.Objects;

/**
 * The limits in force for sessions accepted from now on. A reload replaces them whole; a session
 * reads them once, when it is accepted, and keeps them to its end, so that a session never sees
 * half of an old and half of a new set.
 */
public final class CurrentLimits {

    private volatile LimitSettings limits;

    public CurrentLimits(LimitSettings limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public LimitSettings get() {
        return limits;
    }

    /** Applies to sessions accepted after the call. */
    public void set(LimitSettings limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }
}
