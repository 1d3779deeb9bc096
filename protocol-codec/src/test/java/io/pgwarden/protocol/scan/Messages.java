package io.pgwarden.protocol.scan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds protocol messages as bytes, the way a server or client would send them. */
final class Messages {

    private Messages() {
    }

    static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length)
            .put((byte) type)
            .putInt(4 + body.length)
            .put(body)
            .array();
    }

    static byte[] concat(byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] cstring(String value) {
        return concat(value.getBytes(StandardCharsets.UTF_8), new byte[] {0});
    }

    static byte[] int16(int value) {
        return ByteBuffer.allocate(2).putShort((short) value).array();
    }

    static byte[] int32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    // --- backend messages --------------------------------------------------------------

    static byte[] readyForQuery(char status) {
        return message('Z', new byte[] {(byte) status});
    }

    static byte[] commandComplete(String tag) {
        return message('C', cstring(tag));
    }

    static byte[] rowDescription(String... columns) {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(int16(columns.length));
        for (String column : columns) {
            body.writeBytes(cstring(column));
            body.writeBytes(int32(0));     // table OID
            body.writeBytes(int16(0));     // column attribute number
            body.writeBytes(int32(25));    // type OID: text
            body.writeBytes(int16(-1));    // type length: variable
            body.writeBytes(int32(-1));    // type modifier
            body.writeBytes(int16(0));     // format: text
        }
        return message('T', body.toByteArray());
    }

    static byte[] dataRow(byte[]... values) {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(int16(values.length));
        for (byte[] value : values) {
            if (value == null) {
                body.writeBytes(int32(-1));
            } else {
                body.writeBytes(int32(value.length));
                body.writeBytes(value);
            }
        }
        return message('D', body.toByteArray());
    }

    /** An ErrorResponse from alternating field types and values, e.g. "S", "ERROR", "C", "42P01". */
    static byte[] errorResponse(String... typesAndValues) {
        return message('E', fields(typesAndValues));
    }

    static byte[] noticeResponse(String... typesAndValues) {
        return message('N', fields(typesAndValues));
    }

    static byte[] fields(String... typesAndValues) {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < typesAndValues.length; i += 2) {
            body.write(typesAndValues[i].charAt(0));
            body.writeBytes(cstring(typesAndValues[i + 1]));
        }
        body.write(0);
        return body.toByteArray();
    }

    static byte[] parameterStatus(String name, String value) {
        return message('S', concat(cstring(name), cstring(value)));
    }

    static byte[] backendKeyData(int processId, int secretKey) {
        return message('K', concat(int32(processId), int32(secretKey)));
    }

    static byte[] notificationResponse(int processId, String channel, String payload) {
        return message('A', concat(int32(processId), cstring(channel), cstring(payload)));
    }

    /** CopyInResponse ('G'), CopyOutResponse ('H') or CopyBothResponse ('W'), text format. */
    static byte[] copyResponse(char type, int columns) {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.writeBytes(int16(columns));
        for (int i = 0; i < columns; i++) {
            body.writeBytes(int16(0));
        }
        return message(type, body.toByteArray());
    }

    static byte[] copyData(byte[] data) {
        return message('d', data);
    }

    static byte[] copyDone() {
        return message('c', new byte[0]);
    }

    // --- frontend messages -------------------------------------------------------------

    static byte[] query(String sql) {
        return message('Q', cstring(sql));
    }

    static byte[] parse(String statement, String sql) {
        return message('P', concat(cstring(statement), cstring(sql), int16(0)));
    }

    static byte[] bind(String portal, String statement, String... textParameters) {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(cstring(portal));
        body.writeBytes(cstring(statement));
        body.writeBytes(int16(0));
        body.writeBytes(int16(textParameters.length));
        for (String parameter : textParameters) {
            final byte[] bytes = parameter.getBytes(StandardCharsets.UTF_8);
            body.writeBytes(int32(bytes.length));
            body.writeBytes(bytes);
        }
        body.writeBytes(int16(0));
        return message('B', body.toByteArray());
    }

    static byte[] describe(char kind, String name) {
        return message('D', concat(new byte[] {(byte) kind}, cstring(name)));
    }

    static byte[] execute(String portal, int maxRows) {
        return message('E', concat(cstring(portal), int32(maxRows)));
    }

    static byte[] functionCall(int functionOid) {
        return message('F', concat(int32(functionOid), int16(0), int16(0), int16(0)));
    }

    static byte[] sync() {
        return message('S', new byte[0]);
    }

    static byte[] flush() {
        return message('H', new byte[0]);
    }

    static byte[] terminate() {
        return message('X', new byte[0]);
    }

    static byte[] copyFail(String reason) {
        return message('f', cstring(reason));
    }
}
