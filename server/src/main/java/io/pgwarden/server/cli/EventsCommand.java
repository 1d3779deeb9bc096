package io.pgwarden.server.cli;

import io.pgwarden.admin.api.view.EventsView;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgwarden events}: the event history, like {@code pg_autoctl show events}. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Shows the cluster events, oldest first: observations and decisions with their reasons and"
                + " the output of the actions that ran (GET /api/v1/events).")
public final class EventsCommand extends AdminCommand {

    @Option(names = "--since", paramLabel = "SEQ|TIME",
            description = "Only events after this sequence number, or at or after this ISO-8601 time"
                    + " (e.g. 2025-01-31T12:00:00Z)")
    String since;

    @Option(names = "--last", paramLabel = "N", defaultValue = "50",
            description = "Show at most the N latest events (default: ${DEFAULT-VALUE}; 0 for all)")
    int last;

    @Override
    void run(AdminClient admin, PrintWriter out) throws AdminCallFailed {
        String query = since == null ? "" : "?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8);
        EventsView view = admin.get("/api/v1/events" + query, EventsView.class);
        List<EventsView.EventView> events = view.events();
        if (last > 0 && events.size() > last) {
            events = events.subList(events.size() - last, events.size());
        }
        if (events.isEmpty()) {
            out.println("no events" + (since == null ? "" : " since " + since));
            return;
        }
        Table table = new Table("SEQ", "TIME", "EPOCH", "KIND", "NODE", "REASON", "OUTCOME", "MESSAGE");
        for (EventsView.EventView event : events) {
            String message = event.message();
            if (event.action() != null) {
                EventsView.ActionView action = event.action();
                message = message + " [" + action.description() + ", " + action.status()
                        + (action.exitCode() == null ? "" : ", exit " + action.exitCode())
                        + (action.output().isBlank() ? "" : ": " + action.output().strip().replace('\n', ' ')) + "]";
            }
            table.row(String.valueOf(event.sequence()), event.time(), String.valueOf(event.epoch()), event.kind(),
                    event.node(), event.reason(), event.outcome(), message);
        }
        table.print(out);
    }
}
