package dev.berth.server.streaming;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;

/**
 * The resize stream: one JSON object per terminal size, {@code {"Width":80,"Height":24}}, as
 * client-go's TerminalSize encodes it (Go field names, uint16 values). The parser's limits keep
 * a client from making it buffer a huge token.
 */
final class TerminalSizes {
    private static final ObjectReader READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(1024).maxNumberLength(16).maxNestingDepth(8).maxNameLength(256).build())
            .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .readerFor(Size.class);

    private TerminalSizes() {}

    /** Where sizes go. */
    interface Target {
        void resize(int width, int height) throws IOException;
    }

    record Size(@JsonProperty("Width") int width, @JsonProperty("Height") int height) {}

    /** Reads sizes until the stream ends, passing each to {@code target}; a malformed one ends the stream. */
    static void forEach(InputStream in, Target target) throws IOException {
        try (MappingIterator<Size> sizes = READER.readValues(in)) {
            while (sizes.hasNextValue()) {
                Size size = sizes.nextValue();
                target.resize(clamp(size.width()), clamp(size.height()));
            }
        }
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(0xffff, value));
    }
}
