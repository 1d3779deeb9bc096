package io.pgwarden.server.chaos;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects Netty's buffer leak reports (the tests run with {@code leakDetectionLevel=paranoid}),
 * which Netty only logs: a leak found during a test would otherwise pass unnoticed.
 */
final class LeakReports extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    private final List<String> reports = new CopyOnWriteArrayList<>();

    LeakReports() {
        setName("chaos-leak-reports");
        setContext(logger.getLoggerContext());
        start();
        logger.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            String message = event.getFormattedMessage();
            reports.add(message.length() > 2000 ? message.substring(0, 2000) + "..." : message);
        }
    }

    List<String> reports() {
        return List.copyOf(reports);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
