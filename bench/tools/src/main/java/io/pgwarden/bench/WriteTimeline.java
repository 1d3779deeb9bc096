package io.pgwarden.bench;

import java.util.Optional;

/**
 * What a writer saw, reduced to the moments a failover benchmark needs: the first acknowledged
 * write, each switch from acknowledged writes to failures ({@code down}) and back ({@code up}).
 * Times are epoch milliseconds, so that they can be set against the moment of a {@code kill -9}
 * and against the proxy's log. Each method returns the line to print when the state changed.
 *
 * <p>Lines (fields separated by one space; the message, last, may contain spaces):
 * <pre>
 * ready END_MS ID
 * down AT_MS LAST_ACK_MS SQLSTATE MESSAGE
 * up END_MS START_MS FAILED_ATTEMPTS SQLSTATE MESSAGE
 * </pre>
 * {@code up} reports when the first write after a failure was acknowledged, when that write
 * started, how many attempts failed in between, and the last of their errors.
 */
final class WriteTimeline {

    private enum State { STARTING, WRITING, FAILING }

    private State state = State.STARTING;
    private long lastAcknowledgedAt = -1;
    private long acknowledged;
    private long failedAttempts;
    private long failedInOutage;
    private String lastSqlState = "-";
    private String lastMessage = "";

    /** A write started at {@code startMillis} was acknowledged (COMMIT returned) at {@code endMillis}. */
    Optional<String> acknowledged(long startMillis, long endMillis, long id) {
        acknowledged++;
        lastAcknowledgedAt = endMillis;
        State before = state;
        state = State.WRITING;
        if (before == State.STARTING) {
            return Optional.of("ready " + endMillis + " " + id);
        }
        if (before == State.FAILING) {
            String line = "up " + endMillis + " " + startMillis + " " + failedInOutage + " " + lastSqlState + " "
                    + lastMessage;
            failedInOutage = 0;
            return Optional.of(line);
        }
        return Optional.empty();
    }

    /** A connect or write attempt failed at {@code atMillis}. */
    Optional<String> failed(long atMillis, String sqlState, String message) {
        failedAttempts++;
        failedInOutage++;
        lastSqlState = sqlState == null || sqlState.isBlank() ? "-" : sqlState;
        lastMessage = oneLine(message);
        if (state == State.WRITING) {
            state = State.FAILING;
            return Optional.of("down " + atMillis + " " + lastAcknowledgedAt + " " + lastSqlState + " " + lastMessage);
        }
        if (state == State.STARTING) {
            // Failures before the first acknowledged write belong to startup, not to an outage.
            failedInOutage = 0;
        }
        return Optional.empty();
    }

    long acknowledgedCount() {
        return acknowledged;
    }

    long failedAttempts() {
        return failedAttempts;
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.replaceAll("\\s+", " ").trim();
    }
}
