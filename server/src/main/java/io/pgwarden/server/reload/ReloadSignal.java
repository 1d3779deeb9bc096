package io.pgwarden.server.reload;

import io.pgwarden.admin.port.Reloader;
import io.pgwarden.config.InvalidConfigException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP reloads the configuration, as it does for PostgreSQL and most daemons. The JVM runs each
 * signal's handler on a thread of its own, so a slow reload delays nothing else; the reloader
 * serializes reloads and logs their outcome. Whatever happens, the process keeps serving.
 */
public final class ReloadSignal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);
    private static final Signal HUP = new Signal("HUP");

    private final SignalHandler previous;

    private ReloadSignal(SignalHandler previous) {
        this.previous = previous;
    }

    /** Handles SIGHUP with {@code reloader} until {@link #close()} puts the previous handler back. */
    public static ReloadSignal install(Reloader reloader) {
        Objects.requireNonNull(reloader, "reloader");
        return new ReloadSignal(Signal.handle(HUP, signal -> reload(reloader)));
    }

    static void reload(Reloader reloader) {
        log.info("SIGHUP received: reloading the configuration");
        try {
            reloader.reload();
        } catch (InvalidConfigException e) {
            // The reloader has logged every problem; the running configuration stays.
        } catch (UnsupportedOperationException e) {
            log.warn("SIGHUP ignored: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("reload on SIGHUP failed; the running configuration stays in force as far as it was applied",
                    e);
        }
    }

    @Override
    public void close() {
        Signal.handle(HUP, previous);
    }
}
