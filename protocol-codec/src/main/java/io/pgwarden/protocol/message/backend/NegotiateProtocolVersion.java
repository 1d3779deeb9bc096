package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import io.pgwarden.protocol.message.ProtocolVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * NegotiateProtocolVersion (B): the server does not support the minor protocol version the
 * client asked for, or some of its {@code _pq_.} protocol options; the session continues with
 * {@code newestVersion} and without those options.
 *
 * <p>The documentation calls the first field the newest supported minor version, but servers
 * send, and libpq reads, the whole version code (196608 for 3.0), so it is a {@link
 * ProtocolVersion} here.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NEGOTIATEPROTOCOLVERSION">NegotiateProtocolVersion</a>
 */
public record NegotiateProtocolVersion(ProtocolVersion newestVersion, List<String> unrecognizedOptions)
        implements BackendMessage {
    public static final byte TYPE = 'v';

    public NegotiateProtocolVersion {
        Objects.requireNonNull(newestVersion, "newestVersion");
        unrecognizedOptions = List.copyOf(unrecognizedOptions);
        unrecognizedOptions.forEach(option -> CString.requireValid(option, "option"));
    }

    public static NegotiateProtocolVersion decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "NegotiateProtocolVersion");
        ProtocolVersion newestVersion = ProtocolVersion.fromCode(in.readInt32("newest protocol version"));
        int count = in.readCount32("unrecognized option count", 1);
        List<String> options = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            options.add(in.readCString("option name"));
        }
        in.requireEnd();
        return new NegotiateProtocolVersion(newestVersion, options);
    }

    @Override
    public int encodedLength() {
        int length = 5 + 4 + 4;
        for (String option : unrecognizedOptions) {
            length += CString.encodedLength(option);
        }
        return length;
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeInt(newestVersion.code());
        out.writeInt(unrecognizedOptions.size());
        for (String option : unrecognizedOptions) {
            CString.write(out, option);
        }
    }
}
