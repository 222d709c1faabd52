package dev.skiff.testing.internal.controllers;

import dev.skiff.testing.internal.api.Change;

/** A controller of the in-memory cluster: reacts to committed changes on the engine thread. */
public interface Actor {
    /** Reacts to one change; may write through the API server, which produces further changes. */
    void onChange(Change change);
}
