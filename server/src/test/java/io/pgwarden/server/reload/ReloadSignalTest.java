package io.pgwarden.server.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.admin.port.ReloadOutcome;
import io.pgwarden.admin.port.Reloader;
import io.pgwarden.config.ConfigProblem;
import io.pgwarden.config.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

/** SIGHUP, raised in this very process, reaches the reloader; a refused reload leaves the handler in place. */
class ReloadSignalTest {

    @Test
    void eachSighupRunsOneReloadEvenAfterARefusedOne() {
        AtomicInteger calls = new AtomicInteger();
        Reloader refusesFirst = () -> {
            if (calls.incrementAndGet() == 1) {
                throw new InvalidConfigException(List.of(new ConfigProblem("pgwarden.admin.port", Optional.of("70000"),
                        "not a port (1-65535)", Optional.empty())));
            }
            return new ReloadOutcome(List.of("pgwarden.health.interval: 250ms -> 1s"), List.of());
        };
        try (ReloadSignal ignored = ReloadSignal.install(refusesFirst)) {
            Signal.raise(new Signal("HUP"));
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);

            Signal.raise(new Signal("HUP"));
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
        }
    }

    @Test
    void aProcessWithoutAConfigurationFileIgnoresSighup() {
        AtomicInteger calls = new AtomicInteger();
        Reloader none = () -> {
            calls.incrementAndGet();
            return Reloader.NONE.reload();
        };
        try (ReloadSignal ignored = ReloadSignal.install(none)) {
            Signal.raise(new Signal("HUP"));
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
            Signal.raise(new Signal("HUP"));
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
        }
    }
}
