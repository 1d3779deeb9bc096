package io.pgwarden.health.action;

/** SQL string literals for utility statements such as {@code ALTER SYSTEM}, which take no parameters. */
final class SqlLiteral {

    private SqlLiteral() {
    }

    /**
     * An escape string constant, {@code E'...'}, which reads the same whatever
     * {@code standard_conforming_strings} is.
     */
    static String of(String value) {
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
