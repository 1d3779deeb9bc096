package io.pgwarden.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link FailoverWriter} run.
 *
 * @param url JDBC URL of the proxy listener to write through
 * @param run run number, stored with every row so that runs can share one table
 * @param table table with columns {@code run int, id bigint, written_at timestamptz}
 * @param stopFile the writer stops once this file exists
 * @param pause pause after each acknowledged write
 * @param retryPause pause after each failed attempt, before reconnecting
 * @param maxRuntime the writer stops by itself after this long, whatever happens
 */
record WriterOptions(
        String url, int run, String table, Path stopFile, Duration pause, Duration retryPause, Duration maxRuntime) {

    static final String USAGE = "usage: FailoverWriter --url JDBC_URL --run N --stop-file PATH"
            + " [--table NAME] [--pause-ms 10] [--retry-ms 10] [--max-seconds 900]";

    WriterOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(stopFile, "stopFile");
        if (!table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("--table must be a plain lower-case identifier, not " + table);
        }
    }

    static WriterOptions parse(String... args) {
        String url = null;
        Integer run = null;
        String table = "bench_failover";
        Path stopFile = null;
        long pauseMillis = 10;
        long retryMillis = 10;
        long maxSeconds = 900;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value; " + USAGE);
            }
            String value = args[++i];
            switch (name) {
                case "--url" -> url = value;
                case "--run" -> run = Integer.parseInt(value);
                case "--table" -> table = value;
                case "--stop-file" -> stopFile = Path.of(value);
                case "--pause-ms" -> pauseMillis = nonNegative(name, Long.parseLong(value));
                case "--retry-ms" -> retryMillis = nonNegative(name, Long.parseLong(value));
                case "--max-seconds" -> maxSeconds = nonNegative(name, Long.parseLong(value));
                default -> throw new IllegalArgumentException("unknown option " + name + "; " + USAGE);
            }
        }
        if (url == null || run == null || stopFile == null) {
            throw new IllegalArgumentException("--url, --run and --stop-file are required; " + USAGE);
        }
        return new WriterOptions(url, run, table, stopFile, Duration.ofMillis(pauseMillis),
                Duration.ofMillis(retryMillis), Duration.ofSeconds(maxSeconds));
    }

    private static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, not " + value);
        }
        return value;
    }
}
