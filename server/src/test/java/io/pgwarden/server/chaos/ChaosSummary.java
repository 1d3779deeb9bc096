package io.pgwarden.server.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The end-of-run table: what was done, what was found, how long failovers took. */
final class ChaosSummary {

    private final String title;
    private final List<ChaosRound.Report> rounds = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    ChaosSummary(String title) {
        this.title = title;
    }

    void add(ChaosRound.Report report) {
        rounds.add(report);
        System.out.printf(Locale.ROOT, "chaos round %d: %s on %s -> %s; %d acknowledged, %d lost, %d violation(s),"
                        + " round %d ms (restore %d ms%s)%n", report.round(), report.fault().description(),
                report.target(), report.outcome(), report.acknowledged(), report.lostIds().cardinality(),
                report.violations().size(), report.duration().toMillis(), report.restoration().duration().toMillis(),
                report.restoration().rejoined().isEmpty() ? "" : ", rejoined " + report.restoration().rejoined());
        for (String violation : report.violations()) {
            System.out.println("  VIOLATION: " + violation);
        }
    }

    /** A line added to the summary as it is. */
    void note(String line) {
        notes.add(line);
    }

    List<ChaosRound.Report> rounds() {
        return List.copyOf(rounds);
    }

    long lostWrites() {
        return rounds.stream().mapToLong(report -> report.lostIds().cardinality()).sum();
    }

    List<String> violations() {
        List<String> all = new ArrayList<>();
        for (ChaosRound.Report report : rounds) {
            for (String violation : report.violations()) {
                all.add("round " + report.round() + " (" + report.fault() + "): " + violation);
            }
        }
        return all;
    }

    String render() {
        StringBuilder text = new StringBuilder();
        text.append("=== ").append(title).append(" ===\n");
        Map<Fault, Integer> byKind = new EnumMap<>(Fault.class);
        rounds.forEach(report -> byKind.merge(report.fault(), 1, Integer::sum));
        line(text, "rounds", Integer.toString(rounds.size()));
        byKind.forEach((fault, count) -> line(text, "  " + fault.description(), Integer.toString(count)));
        line(text, "acknowledged writes", Long.toString(rounds.stream().mapToLong(ChaosRound.Report::acknowledged).sum()));
        line(text, "lost acknowledged writes", Long.toString(lostWrites()));
        line(text, "invariant violations", Integer.toString(violations().size()));
        List<ChaosRound.Report> failovers = rounds.stream().filter(report -> report.failover().isPresent()).toList();
        line(text, "failovers", Integer.toString(failovers.size()));
        timing(text, failovers, "  primary lost after", timing -> timing.detected());
        timing(text, failovers, "  old primary fenced after", timing -> timing.fenced());
        timing(text, failovers, "  new primary elected after", timing -> timing.elected());
        timing(text, failovers, "  first acknowledged write after", timing -> timing.firstWrite());
        line(text, "restore (rejoin, sync, replay)", stats(rounds.stream()
                .map(report -> report.restoration().duration()).toList()));
        line(text, "nodes unfenced by hand", Long.toString(rounds.stream()
                .mapToLong(report -> report.restoration().manualUnfences().size()).sum()));
        for (String note : notes) {
            text.append(note).append('\n');
        }
        return text.toString();
    }

    private static void timing(StringBuilder text, List<ChaosRound.Report> failovers, String label,
            Function<ChaosRound.FailoverTiming, Optional<Duration>> field) {
        List<Duration> values = failovers.stream()
                .map(report -> field.apply(report.failover().orElseThrow()))
                .flatMap(Optional::stream)
                .toList();
        line(text, label, stats(values));
    }

    /** {@code median / p90 / max} in milliseconds. */
    static String stats(List<Duration> values) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Long> millis = values.stream().map(Duration::toMillis).sorted().toList();
        return String.format(Locale.ROOT, "median %d ms, p90 %d ms, max %d ms (n=%d)", percentile(millis, 50),
                percentile(millis, 90), millis.get(millis.size() - 1), millis.size());
    }

    private static long percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "%-34s %s%n", label, value));
    }
}
