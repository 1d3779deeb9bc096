package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * NotificationResponse (B): a NOTIFY on a channel this session LISTENs to, from the session
 * with the given process ID. It may arrive at any time, even between other messages of a query.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NOTIFICATIONRESPONSE">NotificationResponse</a>
 */
public record NotificationResponse(int processId, String channel, String payload) implements BackendMessage {
    public static final byte TYPE = 'A';

    public NotificationResponse {
        CString.requireValid(channel, "channel");
        CString.requireValid(payload, "payload");
    }

    public static NotificationResponse decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "NotificationResponse");
        NotificationResponse message = new NotificationResponse(
                in.readInt32("process ID"), in.readCString("channel name"), in.readCString("payload"));
        in.requireEnd();
        return message;
    }

    @Override
    public int encodedLength() {
        return 5 + 4 + CString.encodedLength(channel) + CString.encodedLength(payload);
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeInt(processId);
        CString.write(out, channel);
        CString.write(out, payload);
    }
}
