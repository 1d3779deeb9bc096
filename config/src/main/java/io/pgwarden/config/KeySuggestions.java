package io.pgwarden.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known key an unknown one was probably meant to be: same key in another spelling
 * ({@code failures_before_down}, {@code failuresBeforeDown}) or a small typo ({@code helth}).
 */
final class KeySuggestions {

    private KeySuggestions() {
    }

    static Optional<String> closest(String unknown, Collection<String> known) {
        String wanted = normalize(unknown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known.stream().sorted().toList()) {
            int distance = editDistance(wanted, normalize(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null || bestDistance > allowedDistance(best)) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    /** Short keys tolerate one slip, longer ones more: "hots" means "host", but "user" is not "port". */
    private static int allowedDistance(String key) {
        if (key.length() <= 4) {
            return 1;
        }
        return key.length() <= 10 ? 2 : 3;
    }

    private static String normalize(String key) {
        String kebab = key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replace('_', '-');
        return kebab.toLowerCase(Locale.ROOT);
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
