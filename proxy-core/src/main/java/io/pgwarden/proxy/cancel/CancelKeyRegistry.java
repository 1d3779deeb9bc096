package io.pgwarden.proxy.cancel;

import io.pgwarden.protocol.message.Bytes;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues the cancel keys clients see and maps them to the servers' real keys. Clients never
 * learn a server's key, so a cancel request can only reach a server through the proxy, which
 * knows which server runs the session; and since the proxy's keys are drawn from a
 * {@link SecureRandom}, they cannot be guessed from one another.
 *
 * <p>Shared by all event loops of a proxy; thread-safe.
 */
public final class CancelKeyRegistry {

    private final SecureRandom random;
    private final Map<Long, CancelTarget> targets = new ConcurrentHashMap<>();

    public CancelKeyRegistry(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public CancelKeyRegistry() {
        this(new SecureRandom());
    }

    /** Issues a fresh key for {@code target}; release it with {@link #release} when the session ends. */
    public ProxyCancelKey issue(CancelTarget target) {
        Objects.requireNonNull(target, "target");
        while (true) {
            // A positive process ID, as a real one would be: some clients print it.
            ProxyCancelKey key = new ProxyCancelKey(random.nextInt(Integer.MAX_VALUE - 1) + 1, random.nextInt());
            if (targets.putIfAbsent(key.packed(), target) == null) {
                return key;
            }
        }
    }

    /**
     * The target of a client's cancel request, if the key is one this proxy issued and still
     * holds. A key of any length other than four bytes was never issued here.
     */
    public Optional<CancelTarget> lookup(int processId, Bytes secretKey) {
        if (secretKey.length() != 4) {
            return Optional.empty();
        }
        int secret = (secretKey.get(0) & 0xFF) << 24 | (secretKey.get(1) & 0xFF) << 16
                | (secretKey.get(2) & 0xFF) << 8 | (secretKey.get(3) & 0xFF);
        return Optional.ofNullable(targets.get(ProxyCancelKey.pack(processId, secret)));
    }

    public void release(ProxyCancelKey key) {
        targets.remove(key.packed());
    }

    /** Keys currently issued: one per session past authentication. */
    public int size() {
        return targets.size();
    }
}
