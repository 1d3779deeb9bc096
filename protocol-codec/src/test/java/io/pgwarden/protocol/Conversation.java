package io.pgwarden.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgwarden.protocol.fixtures.Fixture;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.frontend.GSSENCRequest;
import io.pgwarden.protocol.message.frontend.SSLRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds a recorded connection through the real decoders in an {@link EmbeddedChannel}, chunk
 * by chunk, the way a proxy would receive it.
 *
 * <p>A client that sends SSLRequest or GSSENCRequest waits for the one-byte answer before it
 * sends anything else, and the decoders reject bytes that arrive with the request (they could
 * have been injected). So those packets, and their answers, are always fed as reads of their
 * own; only the rest of the stream is cut into chunks. Before each answer the backend decoder
 * is told which request it answers, as the proxy would do when it sends the request.
 */
final class Conversation {
    static final int MAX_MESSAGE_LENGTH = 1 << 20;

    private final byte[] client;
    private final byte[] server;
    private final List<Integer> negotiationCodes = new ArrayList<>();
    private final int clientPrefixLength;
    private final int serverPrefixLength;

    Conversation(Fixture fixture) {
        this(fixture.client(), fixture.server());
    }

    Conversation(byte[] client, byte[] server) {
        this.client = client;
        this.server = server;
        int offset = 0;
        while (offset + 8 <= client.length && readInt(client, offset) == 8
                && (readInt(client, offset + 4) == SSLRequest.CODE || readInt(client, offset + 4) == GSSENCRequest.CODE)) {
            negotiationCodes.add(readInt(client, offset + 4));
            offset += 8;
        }
        clientPrefixLength = offset;
        serverPrefixLength = Math.min(negotiationCodes.size(), server.length);
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16
                | (bytes[offset + 2] & 0xff) << 8 | (bytes[offset + 3] & 0xff);
    }

    byte[] client() {
        return client;
    }

    byte[] server() {
        return server;
    }

    /** Bytes of the client stream after the negotiation packets: the part that may be cut anywhere. */
    int clientSplittableLength() {
        return client.length - clientPrefixLength;
    }

    int serverSplittableLength() {
        return server.length - serverPrefixLength;
    }

    /** The client stream in reads: negotiation packets alone, the rest cut at the given offsets. */
    List<byte[]> clientChunks(int... cuts) {
        return chunks(client, negotiationPacketEnds(), clientPrefixLength, cuts);
    }

    /** The client stream one byte per read. */
    List<byte[]> clientBytes() {
        return singleBytes(client);
    }

    List<byte[]> serverChunks(int... cuts) {
        List<Integer> ends = new ArrayList<>();
        for (int i = 1; i <= serverPrefixLength; i++) {
            ends.add(i);
        }
        return chunks(server, ends, serverPrefixLength, cuts);
    }

    List<byte[]> serverBytes() {
        return singleBytes(server);
    }

    private List<Integer> negotiationPacketEnds() {
        List<Integer> ends = new ArrayList<>();
        for (int i = 1; i <= negotiationCodes.size(); i++) {
            ends.add(8 * i);
        }
        return ends;
    }

    private static List<byte[]> chunks(byte[] bytes, List<Integer> prefixEnds, int prefixLength, int... cuts) {
        List<byte[]> chunks = new ArrayList<>();
        int start = 0;
        for (int end : prefixEnds) {
            chunks.add(Arrays.copyOfRange(bytes, start, end));
            start = end;
        }
        for (int cut : cuts) {
            int end = prefixLength + cut;
            chunks.add(Arrays.copyOfRange(bytes, start, end));
            start = end;
        }
        if (start < bytes.length) {
            chunks.add(Arrays.copyOfRange(bytes, start, bytes.length));
        }
        return chunks;
    }

    private static List<byte[]> singleBytes(byte[] bytes) {
        List<byte[]> chunks = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            chunks.add(new byte[] {b});
        }
        return chunks;
    }

    /** Decodes client reads with a new FrontendMessageDecoder; checks that nothing is left over or leaked. */
    static List<FrontendMessage> decodeClient(List<byte[]> chunks, ByteBufAllocator allocator) {
        FrontendMessageDecoder decoder = new FrontendMessageDecoder(MAX_MESSAGE_LENGTH);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.config().setAllocator(allocator);
        List<ByteBuf> inputs = new ArrayList<>();
        List<FrontendMessage> messages = new ArrayList<>();
        for (byte[] chunk : chunks) {
            ByteBuf input = allocator.buffer(chunk.length).writeBytes(chunk);
            inputs.add(input);
            channel.writeInbound(input);
            drain(channel, messages, FrontendMessage.class);
        }
        finish(channel, decoder.bufferedBytes(), inputs);
        return messages;
    }

    /** Decodes server reads with a new BackendMessageDecoder, announcing each negotiation answer. */
    List<BackendMessage> decodeServer(List<byte[]> chunks, ByteBufAllocator allocator) {
        BackendMessageDecoder decoder = new BackendMessageDecoder(MAX_MESSAGE_LENGTH);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.config().setAllocator(allocator);
        List<ByteBuf> inputs = new ArrayList<>();
        List<BackendMessage> messages = new ArrayList<>();
        int fed = 0;
        for (byte[] chunk : chunks) {
            if (fed < serverPrefixLength) {
                // Chunks never straddle the end of the answers: they are fed as reads of their own.
                if (negotiationCodes.get(fed) == SSLRequest.CODE) {
                    decoder.expectSSLResponse();
                } else {
                    decoder.expectGSSENCResponse();
                }
            }
            ByteBuf input = allocator.buffer(chunk.length).writeBytes(chunk);
            inputs.add(input);
            channel.writeInbound(input);
            fed += chunk.length;
            drain(channel, messages, BackendMessage.class);
        }
        finish(channel, decoder.bufferedBytes(), inputs);
        return messages;
    }

    private static <T> void drain(EmbeddedChannel channel, List<T> messages, Class<T> type) {
        Object message;
        while ((message = channel.readInbound()) != null) {
            messages.add(type.cast(message));
        }
    }

    private static void finish(EmbeddedChannel channel, int bufferedBytes, List<ByteBuf> inputs) {
        assertThat(bufferedBytes).as("bytes of an incomplete message left in the decoder").isZero();
        assertThat(channel.finish()).as("messages left in the channel").isFalse();
        for (ByteBuf input : inputs) {
            assertThat(input.refCnt()).as("reference count of an input buffer after finish()").isZero();
        }
    }

    /** Encodes the messages one after the other, as the encoders would. */
    static byte[] encode(List<? extends Message> messages, ByteBufAllocator allocator) {
        int length = messages.stream().mapToInt(Message::encodedLength).sum();
        ByteBuf out = allocator.buffer(length);
        try {
            for (Message message : messages) {
                int before = out.writerIndex();
                message.encode(out);
                assertThat(out.writerIndex() - before).as("bytes written by %s", message)
                        .isEqualTo(message.encodedLength());
            }
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** A hex dump for assertion messages. */
    static String hexDump(byte[] bytes) {
        return ByteBufUtil.prettyHexDump(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
    }
}
