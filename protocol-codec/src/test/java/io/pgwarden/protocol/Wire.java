package io.pgwarden.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs a decoder in an EmbeddedChannel over given reads and collects what it emits. */
final class Wire {
    private final EmbeddedChannel channel;
    private final List<ByteBuf> inputs = new ArrayList<>();

    private Wire(EmbeddedChannel channel) {
        this.channel = channel;
    }

    static Wire of(FrontendMessageDecoder decoder) {
        return new Wire(new EmbeddedChannel(decoder));
    }

    static Wire of(BackendMessageDecoder decoder) {
        return new Wire(new EmbeddedChannel(decoder));
    }

    /** Writes one read; a ProtocolException raised by the decoder propagates to the caller. */
    Wire write(byte[] bytes) {
        ByteBuf input = ByteBufAllocator.DEFAULT.buffer(bytes.length).writeBytes(bytes);
        inputs.add(input);
        channel.writeInbound(input);
        return this;
    }

    Wire write(String hex) {
        return write(Hex.bytes(hex));
    }

    /** Everything decoded so far. */
    List<Object> messages() {
        List<Object> messages = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            messages.add(message);
        }
        return messages;
    }

    /** Closes the channel and checks that nothing was left behind or leaked. */
    void finish() {
        assertThat(channel.finish()).as("messages left in the channel").isFalse();
        inputs.forEach(input -> assertThat(input.refCnt()).as("input buffer released").isZero());
    }

    /** Runs {@code action} and then {@link #finish()}, whatever the action threw. */
    void finishAfter(Consumer<Wire> action) {
        try {
            action.accept(this);
        } finally {
            finish();
        }
    }
}
