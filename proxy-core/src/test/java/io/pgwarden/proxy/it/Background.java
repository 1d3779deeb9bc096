package io.pgwarden.proxy.it;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs a blocking test step (a query that waits, a stream to drain) on a thread of its own.
 * {@code CompletableFuture.supplyAsync} without an executor would use the common pool, which on
 * a 2-core machine has a single thread in newer JDKs: two blocking steps would then run one
 * after the other, and a step that waits for the other would never end.
 */
public final class Background {

    private static final Executor OWN_THREAD = task -> {
        Thread thread = new Thread(task, "it-background");
        thread.setDaemon(true);
        thread.start();
    };

    private Background() {
    }

    public static <T> CompletableFuture<T> supply(Supplier<T> step) {
        return CompletableFuture.supplyAsync(step, OWN_THREAD);
    }
}
