package io.pgwarden.protocol.message;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * CopyData (F &amp; B): a chunk of COPY data stream, sent by either side. The content is opaque
 * and kept byte for byte.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYDATA">CopyData</a>
 */
public record CopyData(Bytes data) implements FrontendMessage, BackendMessage {
    public static final byte TYPE = 'd';

    public CopyData {
        Objects.requireNonNull(data, "data");
    }

    public static CopyData decode(ByteBuf body) {
        return new CopyData(new MessageReader(body, "CopyData").readRemaining());
    }

    @Override
    public int encodedLength() {
        return 5 + data.length();
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        data.writeTo(out);
    }
}
