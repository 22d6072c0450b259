package dev.berth.runtime;

/** The OCI lifecycle states Berth reports ("creating" is never visible: create is atomic). */
public enum ContainerStatus {
    CREATED,
    RUNNING,
    STOPPED
}
