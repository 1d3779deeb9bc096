package io.pgwarden.proxy.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.proxy.topology.BackendNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CancelKeyRegistryTest {

    private static final BackendNode PG1 = new BackendNode("pg1", "127.0.0.1", 5432);
    private final CancelKeyRegistry registry = new CancelKeyRegistry();

    @Test
    void issuedKeyLeadsToTheServersRealKey() {
        CancelTarget target = new CancelTarget(PG1, 4242, Bytes.of((byte) 1, (byte) 2, (byte) 3, (byte) 4));

        ProxyCancelKey key = registry.issue(target);

        assertThat(key.processId()).isPositive();
        assertThat(registry.lookup(key.processId(), secret(key.secretKey()))).contains(target);
    }

    @Test
    void wrongSecretOrProcessIdOrKeyLengthFindsNothing() {
        ProxyCancelKey key = registry.issue(new CancelTarget(PG1, 1, Bytes.of((byte) 0, (byte) 0, (byte) 0, (byte) 1)));

        assertThat(registry.lookup(key.processId(), secret(key.secretKey() + 1))).isEmpty();
        assertThat(registry.lookup(key.processId() + 1, secret(key.secretKey()))).isEmpty();
        assertThat(registry.lookup(key.processId(), Bytes.of(new byte[8]))).isEmpty();
    }

    @Test
    void releasedKeyNoLongerCancels() {
        ProxyCancelKey key = registry.issue(new CancelTarget(PG1, 1, Bytes.of((byte) 0, (byte) 0, (byte) 0, (byte) 1)));

        registry.release(key);

        assertThat(registry.lookup(key.processId(), secret(key.secretKey()))).isEmpty();
        assertThat(registry.size()).isZero();
    }

    @Test
    void keysDoNotRepeat() {
        CancelTarget target = new CancelTarget(PG1, 1, Bytes.of((byte) 0, (byte) 0, (byte) 0, (byte) 1));
        Set<ProxyCancelKey> keys = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add(registry.issue(target));
        }
        assertThat(keys).hasSize(10_000);
        assertThat(registry.size()).isEqualTo(10_000);
    }

    private static Bytes secret(int value) {
        return Bytes.of((byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value);
    }
}
