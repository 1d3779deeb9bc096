package io.pgwarden.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.pgwarden.config.Balance;
import io.pgwarden.config.ListenerSettings;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.Route;
import io.pgwarden.proxy.TestSettings;
import io.pgwarden.proxy.topology.StaticTopology;
import io.pgwarden.proxy.wire.RawClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyServerTest {

    private static final PgwardenSettings SETTINGS =
            TestSettings.of(List.of(new TestSettings.Backend("pg1", "127.0.0.1", 5432)), "");

    @Test
    void bindsEveryListenerOnAnEphemeralPortAndAnswersOnIt() throws Exception {
        try (ProxyServer proxy = new ProxyServer(SETTINGS, StaticTopology.fromBackends(SETTINGS.backends()))) {
            proxy.start();

            assertThat(proxy.port("rw")).isPositive().isNotEqualTo(proxy.port("ro"));
            try (RawClient client = new RawClient("127.0.0.1", proxy.port("ro"))) {
                client.send(RawClient.sslRequest());
                assertThat(client.readByte()).isEqualTo('N');
            }
        }
    }

    @Test
    void bindFailureNamesTheListenerAndAddressAndLeavesNothingBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            PgwardenSettings conflicting = new PgwardenSettings(
                    List.of(new ListenerSettings("ok", "127.0.0.1", 0, Route.PRIMARY, Balance.ROUND_ROBIN, false),
                            new ListenerSettings("clash", "127.0.0.1", port, Route.STANDBY, Balance.ROUND_ROBIN, false)),
                    SETTINGS.backends(), SETTINGS.monitor(), SETTINGS.health(), SETTINGS.failover(), SETTINGS.admin(),
                    SETTINGS.limits(), SETTINGS.tls(), SETTINGS.logging());
            ProxyServer proxy = new ProxyServer(conflicting, StaticTopology.fromBackends(SETTINGS.backends()));

            assertThatThrownBy(proxy::start)
                    .isInstanceOf(ProxyStartException.class)
                    .hasMessageContaining("listener clash")
                    .hasMessageContaining("127.0.0.1:" + port);
            assertThatThrownBy(() -> proxy.port("ok")).isInstanceOf(IllegalArgumentException.class);
            proxy.close();
        }
    }

    @Test
    void usesNativeEpollWhereItIsAvailable() {
        assertThat(Transport.detect()).isEqualTo(Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO);
    }

    @Test
    void closeIsIdempotentAndAStartedServerCannotStartAgain() {
        ProxyServer proxy = new ProxyServer(SETTINGS, StaticTopology.fromBackends(SETTINGS.backends()));
        proxy.start();
        assertThatThrownBy(proxy::start).isInstanceOf(IllegalStateException.class);
        proxy.close();
        proxy.close();
    }
}
