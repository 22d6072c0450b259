package dev.berth.runtime;

/** The outcome of {@link ContainerRuntime#execSync}: output is cut at the requested limit. */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr, boolean timedOut) {}
