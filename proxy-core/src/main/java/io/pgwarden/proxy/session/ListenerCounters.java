package io.pgwarden.proxy.session;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one listener. Sessions hold a reference to theirs, so recording is a field
 * access and a {@link LongAdder} update, with no lookup and no allocation.
 */
final class ListenerCounters {

    final LongAdder accepted = new LongAdder();
    final LongAdder bytesFromClients = new LongAdder();
    final LongAdder bytesToClients = new LongAdder();
    final LongAdder authenticationFailures = new LongAdder();
    private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);

    ListenerCounters() {
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, new LongAdder());
        }
    }

    LongAdder rejected(RejectReason reason) {
        return rejected.get(reason);
    }
}
