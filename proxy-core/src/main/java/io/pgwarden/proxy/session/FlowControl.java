package io.pgwarden.proxy.session;

import io.netty.channel.WriteBufferWaterMark;

/** Backpressure settings shared by client and backend channels. */
public final class FlowControl {

    /**
     * A channel turns unwritable when more than the high mark waits in its outbound buffer, and
     * the relay then stops reading from the other side until it drops below the low mark. So a
     * session buffers at most the high mark plus one read batch per direction, however slowly
     * its client reads (a multi-gigabyte COPY TO STDOUT included), while the marks stay large
     * enough for a fast reader to receive full socket-buffer-sized writes.
     */
    public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 512 * 1024);

    private FlowControl() {
    }
}
