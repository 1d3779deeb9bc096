package io.pgwarden.health.probe;

/** Probes one backend. Called from that backend's probe thread only. */
public interface NodeProbe extends AutoCloseable {

    /** Runs one probe round; never blocks past its deadline and never throws. */
    ProbeOutcome probe();

    /** Releases the monitor connection. */
    @Override
    void close();
}
