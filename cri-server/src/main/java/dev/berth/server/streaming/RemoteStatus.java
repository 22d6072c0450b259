package dev.berth.server.streaming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * How a remote-command session ended, as the Kubernetes metav1.Status kubelet writes to the
 * error stream. kubectl reads the exit code from {@code details.causes[reason=ExitCode].message}.
 * Field order and omitted empty fields follow Go's encoding of the struct.
 */
record RemoteStatus(boolean success, String message, String reason, List<Cause> causes, int code) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One of {@code details.causes}; an empty reason is omitted, as Go's {@code omitempty} does. */
    record Cause(String reason, String message) {}

    RemoteStatus {
        causes = List.copyOf(causes);
    }

    static RemoteStatus succeeded() {
        return new RemoteStatus(true, "", "", List.of(), 0);
    }

    /** An exec'd command that exited non-zero; the message is containerd's, wrapped as kubelet wraps it. */
    static RemoteStatus exited(List<String> command, int exitCode) {
        return new RemoteStatus(false, "command terminated with non-zero exit code: error executing command "
                + "[" + String.join(" ", command) + "], exit code " + exitCode,
                "NonZeroExitCode", List.of(new Cause("ExitCode", Integer.toString(exitCode))), 0);
    }

    /** A session that could not run (apierrors.NewInternalError). */
    static RemoteStatus internalError(String error) {
        return new RemoteStatus(false, "Internal error occurred: " + error, "InternalError", List.of(new Cause("", error)), 500);
    }

    byte[] json() {
        ObjectNode status = JSON.createObjectNode();
        status.putObject("metadata");
        status.put("status", success ? "Success" : "Failure");
        putIfNotEmpty(status, "message", message);
        putIfNotEmpty(status, "reason", reason);
        if (!causes.isEmpty()) {
            var list = status.putObject("details").putArray("causes");
            for (Cause cause : causes) {
                ObjectNode node = list.addObject();
                putIfNotEmpty(node, "reason", cause.reason());
                putIfNotEmpty(node, "message", cause.message());
            }
        }
        if (code != 0) {
            status.put("code", code);
        }
        try {
            return JSON.writeValueAsBytes(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a status", e);
        }
    }

    private static void putIfNotEmpty(ObjectNode node, String field, String value) {
        if (!value.isEmpty()) {
            node.put(field, value);
        }
    }
}
