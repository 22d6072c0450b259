package dev.berth.runtime.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.berth.runtime.ContainerState;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A container's state as {@code runc state} prints it (the OCI state plus runc's rootfs,
 * created and owner), with runc's field order and formatting, so tools that parse runc's
 * output parse Berth's. rootfs and annotations are read from the bundle's config.json now
 * (Berth keeps no copy of it); they are "" and absent when it is gone or unreadable.
 *
 * <p>JSON goes through jackson-core's streaming parser and generator, not databind: state
 * and list are the calls tools repeat, and databind's start-up is most of a call's time.
 */
record RuncState(
        String ociVersion,
        String id,
        long pid,
        String status,
        String bundle,
        String rootfs,
        String created,
        String owner,
        Map<String, String> annotations) {

    /** The version of the OCI runtime spec whose state format this is (unchanged since 1.0). */
    static final String OCI_VERSION = "1.0.2";

    /** Go's RFC3339Nano in UTC: as many fraction digits as needed, none for a whole second. */
    private static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendLiteral('Z')
            .toFormatter(Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final JsonFactory JSON = new JsonFactory();

    /** The state of {@code state}'s container; {@code owner} is "" in {@code state} and the user name in {@code list}, as in runc. */
    static RuncState of(ContainerState state, String owner) {
        String rootfs = "";
        Map<String, String> annotations = new LinkedHashMap<>();
        if (state.bundle() != null) {
            try {
                String root = readConfig(state.bundle().resolve("config.json"), annotations);
                rootfs = root == null ? "" : state.bundle().resolve(root).normalize().toString();
            } catch (IOException e) {
                annotations.clear(); // the bundle is gone or changed: the state is still worth showing
            }
        }
        return new RuncState(OCI_VERSION, state.id(), state.pid(), state.status().name().toLowerCase(Locale.ROOT),
                state.bundle() == null ? "" : state.bundle().toString(), rootfs, created(state.createdAt()), owner, Map.copyOf(annotations));
    }

    static String created(Instant instant) {
        return RFC3339_NANO.format(instant);
    }

    /** runc state's output: Go's json.MarshalIndent(v, "", "  "), so two spaces and "key": value. */
    String toIndentedJson() {
        return render(List.of(this), false);
    }

    /** runc list --format json's output: one compact array ({@code []} when empty, where runc prints {@code null}). */
    static String toJsonArray(List<RuncState> states) {
        return render(states, true);
    }

    private static String render(List<RuncState> states, boolean array) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            if (array) {
                json.writeStartArray();
            } else {
                json.setPrettyPrinter(new DefaultPrettyPrinter().withSeparators(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
            }
            for (RuncState s : states) {
                s.write(json);
            }
            if (array) {
                json.writeEndArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render a container state", e);
        }
        return text.toString();
    }

    private void write(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("ociVersion", ociVersion);
        json.writeStringField("id", id);
        json.writeNumberField("pid", pid);
        json.writeStringField("status", status);
        json.writeStringField("bundle", bundle);
        json.writeStringField("rootfs", rootfs);
        json.writeStringField("created", created);
        json.writeStringField("owner", owner);
        if (!annotations.isEmpty()) { // runc's omitempty
            json.writeObjectFieldStart("annotations");
            for (Map.Entry<String, String> a : new java.util.TreeMap<>(annotations).entrySet()) {
                json.writeStringField(a.getKey(), a.getValue());
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    /** Reads config.json's root.path (returned, or null) and annotations (into {@code annotations}); skips all else. */
    private static String readConfig(Path file, Map<String, String> annotations) throws IOException {
        String root = null;
        try (JsonParser json = JSON.createParser(file.toFile())) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + " is not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (field.equals("root") && value == JsonToken.START_OBJECT) {
                    root = strings(json, "path", null);
                } else if (field.equals("annotations") && value == JsonToken.START_OBJECT) {
                    strings(json, null, annotations);
                } else {
                    json.skipChildren();
                }
            }
        }
        return root;
    }

    /** Walks one object's fields: returns the string field {@code wanted}, or puts every string field into {@code into}. */
    private static String strings(JsonParser json, String wanted, Map<String, String> into) throws IOException {
        String found = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            if (json.nextToken() == JsonToken.VALUE_STRING) {
                if (into != null) {
                    into.put(field, json.getText());
                } else if (field.equals(wanted)) {
                    found = json.getText();
                }
            } else {
                json.skipChildren();
            }
        }
        return found;
    }
}
