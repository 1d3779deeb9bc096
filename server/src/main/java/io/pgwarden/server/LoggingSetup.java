package io.pgwarden.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches logging to the format and level the configuration asks for. Logback has
 * already started with the readable console format; JSON lines need a reload.
 */
final class LoggingSetup {

    private LoggingSetup() {}

    static void apply(boolean json, String level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend: leave it as the user configured it
        }
        if (json) {
            URL resource = LoggingSetup.class.getResource("/logback-json.xml");
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            context.reset();
            try {
                configurator.doConfigure(resource);
            } catch (JoranException e) {
                throw new IllegalStateException("cannot configure JSON logging from " + resource, e);
            }
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
    }
}
