package dev.berth.server.streaming;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How an exec or attach ended, as kubelet writes it on the error channel (remotecommand exec.go, attach.go,
 * httpstream.go): v4 and later get the metav1.Status as Go's encoding/json marshals it, older protocols only
 * a failure's message.
 */
final class RemoteStatus {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    private record Cause(String reason, String message) {}

    private final boolean success;
    private final String message;
    private final String reason;
    private final Cause cause;
    private final int code;

    private RemoteStatus(boolean success, String message, String reason, Cause cause, int code) {
        this.success = success;
        this.message = message;
        this.reason = reason;
        this.cause = cause;
        this.code = code;
    }

    static RemoteStatus success() {
        return new RemoteStatus(true, null, null, null, 0);
    }

    /** An exec whose command exited non-zero; the message is containerd's CodeExitError wrapped by kubelet. */
    static RemoteStatus exitCode(List<String> command, int exitCode) {
        String error = "error executing command [" + String.join(" ", command) + "], exit code " + exitCode;
        return new RemoteStatus(false, "command terminated with non-zero exit code: " + error, "NonZeroExitCode",
                new Cause("ExitCode", Integer.toString(exitCode)), 0);
    }

    /** apimachinery's NewInternalError. */
    static RemoteStatus internalError(String error) {
        return new RemoteStatus(false, "Internal error occurred: " + error, "InternalError", new Cause(null, error), 500);
    }

    /** What to write on the error channel, or null when nothing is written (success before v4). */
    byte[] encode(boolean statusJson) {
        if (statusJson) {
            return json();
        }
        return success ? null : message.getBytes(StandardCharsets.UTF_8);
    }

    /** Fields in metav1.Status's order, the empty ListMeta included, omitempty ones left out. */
    private byte[] json() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.setCharacterEscapes(GoEscapes.INSTANCE);
            json.writeStartObject();
            json.writeObjectFieldStart("metadata");
            json.writeEndObject();
            json.writeStringField("status", success ? "Success" : "Failure");
            writeIfSet(json, "message", message);
            writeIfSet(json, "reason", reason);
            if (cause != null) {
                json.writeObjectFieldStart("details");
                json.writeArrayFieldStart("causes");
                json.writeStartObject();
                writeIfSet(json, "reason", cause.reason());
                writeIfSet(json, "message", cause.message());
                json.writeEndObject();
                json.writeEndArray();
                json.writeEndObject();
            }
            if (code != 0) {
                json.writeNumberField("code", code);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeIfSet(JsonGenerator json, String field, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            json.writeStringField(field, value);
        }
    }

    /** encoding/json's HTML-safe escapes, which a byte-for-byte comparison with kubelet would notice. */
    private static final class GoEscapes extends CharacterEscapes {
        static final GoEscapes INSTANCE = new GoEscapes();
        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        private GoEscapes() {
            ascii['<'] = ESCAPE_STANDARD;
            ascii['>'] = ESCAPE_STANDARD;
            ascii['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case 0x2028 -> new SerializedString("\\u2028");
                case 0x2029 -> new SerializedString("\\u2029");
                default -> null;
            };
        }
    }
}
