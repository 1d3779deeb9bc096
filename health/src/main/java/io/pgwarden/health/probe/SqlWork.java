package io.pgwarden.health.probe;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on an open monitor connection. */
@FunctionalInterface
public interface SqlWork<T> {

    T apply(Connection connection) throws SQLException;
}
