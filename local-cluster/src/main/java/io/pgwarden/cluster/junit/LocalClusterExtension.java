package io.pgwarden.cluster.junit;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link LocalCluster} for a test class and removes it afterwards.
 *
 * <pre>{@code
 * class FailoverIT {
 *     @RegisterExtension
 *     static final LocalClusterExtension PG = new LocalClusterExtension(
 *             ClusterSettings.builder().standbys(2).authMethod(AuthMethod.SCRAM_SHA_256).build());
 *
 *     @Test
 *     void something(LocalCluster cluster) { ... }   // or PG.cluster()
 * }
 * }</pre>
 *
 * <p>In a static field (or through {@code @ExtendWith(LocalClusterExtension.class)}, which uses
 * {@link ClusterSettings#defaults()}) the cluster lives from before the first test of the class to after the
 * last, nested classes included. In an instance field each test gets its own cluster.
 */
public final class LocalClusterExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final ClusterSettings settings;
    private LocalCluster cluster;
    /** The context that started the cluster; only its end closes it. */
    private String ownerId;

    public LocalClusterExtension() {
        this(ClusterSettings.defaults());
    }

    public LocalClusterExtension(ClusterSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The running cluster.
     *
     * @throws IllegalStateException outside the tests this extension serves
     */
    public synchronized LocalCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the local cluster runs only while the tests of its class run");
        }
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeFor(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeFor(context);
    }

    private synchronized void startFor(ExtensionContext context) {
        if (cluster == null) {
            LocalCluster started = new LocalCluster(settings).start();
            cluster = started;
            ownerId = context.getUniqueId();
        }
    }

    private synchronized void closeFor(ExtensionContext context) {
        if (cluster != null && context.getUniqueId().equals(ownerId)) {
            try {
                cluster.close();
            } finally {
                cluster = null;
                ownerId = null;
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return cluster();
    }
}
