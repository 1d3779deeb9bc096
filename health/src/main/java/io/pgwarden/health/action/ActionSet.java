package io.pgwarden.health.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgwarden.config.ActionSettings;
import io.pgwarden.config.FailoverSettings;
import io.pgwarden.health.probe.MonitorConnector;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The five actions as configured. For each: {@code command = "java:<name>"} selects the
 * {@link ActionProvider} of that name; any other command runs through {@code /bin/sh -c}; no
 * command means the built-in (promote, follow) or nothing (fence, rejoin, on-state-change). The
 * built-in soft fence ({@link SoftFence}) is not part of this set: the coordinator applies it to
 * every reachable node it fences, before the fence command if there is one.
 */
public final class ActionSet {

    /** Prefix of a command that names a Java {@link ActionProvider} instead of a shell command. */
    public static final String JAVA_PREFIX = "java:";

    private final Map<ActionKind, FailoverAction> actions;

    /** Every kind must be present. */
    public ActionSet(Map<ActionKind, FailoverAction> actions) {
        EnumMap<ActionKind, FailoverAction> copy = new EnumMap<>(ActionKind.class);
        copy.putAll(actions);
        for (ActionKind kind : ActionKind.values()) {
            Objects.requireNonNull(copy.get(kind), () -> "no action for " + kind.configName());
        }
        this.actions = copy;
    }

    /** Resolves the configured actions, with providers found by {@link ServiceLoader} on the class path. */
    public static ActionSet fromSettings(FailoverSettings settings, MonitorConnector connector) {
        return fromSettings(settings, connector, ServiceLoader.load(ActionProvider.class), new ObjectMapper());
    }

    public static ActionSet fromSettings(
            FailoverSettings settings, MonitorConnector connector, Iterable<ActionProvider> providers,
            ObjectMapper json) {
        Map<ActionKind, FailoverAction> actions = new EnumMap<>(ActionKind.class);
        actions.put(ActionKind.PROMOTE, resolve(ActionKind.PROMOTE, settings.promote(), connector, providers, json));
        actions.put(ActionKind.FENCE, resolve(ActionKind.FENCE, settings.fence(), connector, providers, json));
        actions.put(ActionKind.FOLLOW, resolve(ActionKind.FOLLOW, settings.follow(), connector, providers, json));
        actions.put(ActionKind.REJOIN, resolve(ActionKind.REJOIN, settings.rejoin(), connector, providers, json));
        actions.put(ActionKind.ON_STATE_CHANGE,
                resolve(ActionKind.ON_STATE_CHANGE, settings.onStateChange(), connector, providers, json));
        return new ActionSet(actions);
    }

    private static FailoverAction resolve(
            ActionKind kind, ActionSettings settings, MonitorConnector connector, Iterable<ActionProvider> providers,
            ObjectMapper json) {
        Optional<String> command = settings.command().map(String::strip).filter(text -> !text.isEmpty());
        if (command.isPresent() && command.get().startsWith(JAVA_PREFIX)) {
            String name = command.get().substring(JAVA_PREFIX.length()).strip();
            for (ActionProvider provider : providers) {
                if (provider.name().equals(name)) {
                    return provider.create(kind, settings, connector);
                }
            }
            throw new IllegalArgumentException("pgwarden.failover." + kind.configName() + ".command: no "
                    + ActionProvider.class.getName() + " named \"" + name + "\" on the class path");
        }
        if (command.isPresent()) {
            return new ShellCommandAction(kind, command.get(), settings.timeout(), json);
        }
        return switch (kind) {
            case PROMOTE -> new BuiltinPromote(connector, settings.timeout());
            case FOLLOW -> new BuiltinFollow(connector, settings.timeout());
            // The soft fence is not this action: the coordinator applies it to every reachable
            // node it fences, with or without a fence command.
            case FENCE, REJOIN, ON_STATE_CHANGE -> new NotConfigured(kind);
        };
    }

    public FailoverAction get(ActionKind kind) {
        return actions.get(kind);
    }

    /** Whether anything runs for {@code kind}: a command, a Java action or a built-in. */
    public boolean configured(ActionKind kind) {
        return !(actions.get(kind) instanceof NotConfigured);
    }
}
