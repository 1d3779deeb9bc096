package io.pgwarden.bench.traffic;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Realistic protocol streams for the benchmarks, each about {@code targetBytes} long and ending
 * at a message boundary, so it can be scanned or relayed again and again by one scanner or
 * session.
 */
public final class Streams {

    private Streams() {
    }

    public static byte[] backend(BackendTraffic kind, int targetBytes) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(targetBytes + (2 << 20));
        switch (kind) {
            case SMALL -> {
                while (out.size() < targetBytes) {
                    statement(out, "BEGIN", 'T');
                    statement(out, "UPDATE 1", 'T');
                    out.writeBytes(rowDescription(1));
                    out.writeBytes(dataRow(new byte[][] {"-2375".getBytes(StandardCharsets.US_ASCII)}));
                    statement(out, "SELECT 1", 'T');
                    statement(out, "UPDATE 1", 'T');
                    statement(out, "UPDATE 1", 'T');
                    statement(out, "INSERT 0 1", 'T');
                    statement(out, "COMMIT", 'I');
                }
            }
            case DATA_ROWS -> {
                final Random random = new Random(42);
                while (out.size() < targetBytes) {
                    out.writeBytes(rowDescription(5));
                    for (int row = 0; row < 1000; row++) {
                        final byte[][] values = new byte[5][];
                        for (int column = 0; column < values.length; column++) {
                            values[column] = ascii(random, 14);
                        }
                        out.writeBytes(dataRow(values)); // 7 + 5 * (4 + 14) = 97 bytes
                    }
                    statement(out, "SELECT 1000", 'I');
                }
            }
            case COPY_DATA -> {
                final Random random = new Random(43);
                out.writeBytes(message('H', new byte[] {0, 0, 1, 0, 0}));
                while (out.size() < targetBytes) {
                    out.writeBytes(message('d', ascii(random, 1 << 20)));
                }
                out.writeBytes(message('c', new byte[0]));
                statement(out, "COPY 4", 'I');
            }
        }
        return out.toByteArray();
    }

    /**
     * Client to server: pgjdbc-style extended-protocol requests on a prepared statement
     * (Bind, Execute, Sync), every tenth one with Parse and Describe first.
     */
    public static byte[] frontendExtended(int targetBytes) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(targetBytes + 4096);
        for (int i = 0; out.size() < targetBytes; i++) {
            if (i % 10 == 0) {
                out.writeBytes(message('P', concat(cstring("S_1"),
                    cstring("SELECT abalance FROM pgbench_accounts WHERE aid = $1"), new byte[] {0, 1, 0, 0, 0, 23})));
                out.writeBytes(message('D', concat(new byte[] {'S'}, cstring("S_1"))));
            }
            final byte[] aid = Integer.toString(i % 100_000).getBytes(StandardCharsets.US_ASCII);
            out.writeBytes(message('B', concat(cstring(""), cstring("S_1"), new byte[] {0, 0, 0, 1},
                ByteBuffer.allocate(4).putInt(aid.length).array(), aid, new byte[] {0, 0})));
            out.writeBytes(message('E', concat(cstring(""), new byte[4])));
            out.writeBytes(message('S', new byte[0]));
        }
        return out.toByteArray();
    }

    /**
     * One request of pgbench's select-only transaction in the prepared protocol ({@code -S -M
     * prepared}), as pgjdbc and libpq send it once the statement is prepared: Bind, Execute,
     * Sync, in one read.
     */
    public static byte[] preparedSelectRequest(int aid) {
        final byte[] value = Integer.toString(aid).getBytes(StandardCharsets.US_ASCII);
        return concat(
            message('B', concat(cstring(""), cstring("P0_1"), new byte[] {0, 0, 0, 1},
                ByteBuffer.allocate(4).putInt(value.length).array(), value, new byte[] {0, 0})),
            message('E', concat(cstring(""), new byte[4])),
            message('S', new byte[0]));
    }

    /**
     * The server's answer to {@link #preparedSelectRequest}: BindComplete, one DataRow,
     * CommandComplete, ReadyForQuery, in one read.
     */
    public static byte[] preparedSelectReply(int abalance) {
        return concat(
            message('2', new byte[0]),
            dataRow(new byte[][] {Integer.toString(abalance).getBytes(StandardCharsets.US_ASCII)}),
            message('C', cstring("SELECT 1")),
            message('Z', new byte[] {'I'}));
    }

    private static void statement(ByteArrayOutputStream out, String tag, char status) {
        out.writeBytes(message('C', cstring(tag)));
        out.writeBytes(message('Z', new byte[] {(byte) status}));
    }

    private static byte[] rowDescription(int columns) {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(columns);
        for (int i = 0; i < columns; i++) {
            body.writeBytes(cstring("column_" + i));
            body.writeBytes(new byte[] {0, 0, 0x40, 0, 0, 1, 0, 0, 0, 25, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0});
        }
        return message('T', body.toByteArray());
    }

    private static byte[] dataRow(byte[][] values) {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(values.length);
        for (byte[] value : values) {
            body.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
            body.writeBytes(value);
        }
        return message('D', body.toByteArray());
    }

    private static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    private static byte[] cstring(String value) {
        return concat(value.getBytes(StandardCharsets.UTF_8), new byte[] {0});
    }

    private static byte[] concat(byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(Random random, int length) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + random.nextInt(26));
        }
        return bytes;
    }

    /** Number of messages in a stream of whole messages. */
    public static long countMessages(byte[] stream) {
        long count = 0;
        for (int offset = 0; offset < stream.length; count++) {
            offset += 1 + ByteBuffer.wrap(stream, offset + 1, 4).getInt();
        }
        return count;
    }
}
