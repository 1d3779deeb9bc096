package io.pgwarden.bench.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.pgwarden.bench.traffic.BackendTraffic;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmarks measure what they claim: every operation relays every byte through a relay
 * that stays open, and gives every read buffer back.
 */
class ForwardingBenchmarkTest {

    /** Short streams: paranoid leak detection records every access to a buffer. */
    private static final int STREAM_BYTES = 256 * 1024;

    private final ForwardingBenchmark benchmark = new ForwardingBenchmark();

    @ParameterizedTest
    @EnumSource(Relay.class)
    void backendToClientRelaysWholeStreams(Relay relay) {
        for (BackendTraffic traffic : new BackendTraffic[] {BackendTraffic.SMALL, BackendTraffic.DATA_ROWS}) {
            ForwardingBenchmark.Connection connection = connection(relay);
            ForwardingBenchmark.ServerStream stream = new ForwardingBenchmark.ServerStream();
            stream.traffic = traffic;
            stream.readSize = 1460;
            stream.streamBytes = STREAM_BYTES;
            stream.setUp();
            ForwardingBenchmark.Forwarded forwarded = new ForwardingBenchmark.Forwarded();
            try {
                benchmark.backendToClient(connection, stream, forwarded);
                benchmark.backendToClient(connection, stream, forwarded);
                connection.requireOpen();
                assertThat(forwarded.bytes).isEqualTo(2 * stream.reads.bytes()).isGreaterThan(2 * STREAM_BYTES);
                assertThat(forwarded.messages).isEqualTo(2 * stream.reads.messages());
                assertThat(stream.reads.returned()).isTrue();
            } finally {
                connection.close();
                stream.tearDown();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Relay.class)
    void clientToBackendRelaysWholeStreams(Relay relay) {
        ForwardingBenchmark.Connection connection = connection(relay);
        ForwardingBenchmark.ClientStream stream = new ForwardingBenchmark.ClientStream();
        stream.readSize = 65536;
        stream.streamBytes = STREAM_BYTES;
        stream.setUp();
        ForwardingBenchmark.Forwarded forwarded = new ForwardingBenchmark.Forwarded();
        try {
            benchmark.clientToBackend(connection, stream, forwarded);
            benchmark.clientToBackend(connection, stream, forwarded);
            connection.requireOpen();
            assertThat(forwarded.bytes).isEqualTo(2 * stream.reads.bytes()).isGreaterThan(2 * STREAM_BYTES);
            assertThat(forwarded.messages).isEqualTo(2 * stream.reads.messages());
            assertThat(stream.reads.returned()).isTrue();
        } finally {
            connection.close();
            stream.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(Relay.class)
    void exchangeIsOneRoundTripOfSevenMessages(Relay relay) {
        ForwardingBenchmark.Connection connection = connection(relay);
        ForwardingBenchmark.RoundTrip roundTrip = new ForwardingBenchmark.RoundTrip();
        roundTrip.setUp();
        ForwardingBenchmark.Forwarded forwarded = new ForwardingBenchmark.Forwarded();
        try {
            for (int i = 0; i < 1000; i++) {
                benchmark.exchange(connection, roundTrip, forwarded);
            }
            connection.requireOpen();
            assertThat(forwarded.messages).isEqualTo(7_000);
            assertThat(forwarded.bytes).isEqualTo(1000 * (roundTrip.request.bytes() + roundTrip.reply.bytes()));
            assertThat(roundTrip.request.returned()).isTrue();
            assertThat(roundTrip.reply.returned()).isTrue();
        } finally {
            connection.close();
            roundTrip.tearDown();
        }
    }

    @Test
    void aSessionThatGaveUpIsNotMeasured() {
        ForwardingBenchmark.Connection connection = connection(Relay.PGWARDEN);
        try {
            // A message length below 4 is a protocol violation: the session ends the connection,
            // and the read that made it fails, as does the check after every iteration.
            assertThatThrownBy(() -> connection.connection.serverSent(Unpooled.wrappedBuffer(new byte[] {'D', 0, 0, 0, 1})))
                    .isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(connection::requireOpen)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CLOSED");
        } finally {
            connection.close();
        }
    }

    private static ForwardingBenchmark.Connection connection(Relay relay) {
        ForwardingBenchmark.Connection connection = new ForwardingBenchmark.Connection();
        connection.relay = relay;
        connection.open();
        return connection;
    }
}
