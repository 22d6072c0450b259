package dev.berth.server.streaming;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The resize channel as kubelet reads it: a byte stream of JSON objects {@code {"Width":w,"Height":h}} fed to
 * Go's json.Decoder, so an object may span messages and field names match case-insensitively. Like kubelet,
 * it stops at the first malformed value.
 */
final class ResizeDecoder {

    record TerminalSize(int width, int height) {}

    private static final JsonFactory JSON = new JsonFactory();

    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private int depth;
    private String field;
    private int width;
    private int height;
    private boolean broken;

    ResizeDecoder() {
        try {
            parser = JSON.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /** The sizes completed by {@code data}. */
    List<TerminalSize> feed(byte[] data) {
        List<TerminalSize> sizes = new ArrayList<>();
        if (broken || data.length == 0) {
            return sizes;
        }
        try {
            feeder.feedInput(data, 0, data.length);
            for (JsonToken token = parser.nextToken(); token != JsonToken.NOT_AVAILABLE && token != null; token = parser.nextToken()) {
                accept(token, sizes);
            }
        } catch (IOException | IllegalArgumentException e) {
            broken = true;
        }
        return sizes;
    }

    private void accept(JsonToken token, List<TerminalSize> sizes) throws IOException {
        switch (token) {
            case START_OBJECT, START_ARRAY -> {
                if (depth == 0) {
                    if (token == JsonToken.START_ARRAY) {
                        throw new IllegalArgumentException("a terminal size is an object");
                    }
                    width = 0;
                    height = 0;
                }
                depth++;
            }
            case END_OBJECT, END_ARRAY -> {
                depth--;
                if (depth == 0) {
                    sizes.add(new TerminalSize(width, height));
                }
            }
            case FIELD_NAME -> field = depth == 1 ? parser.currentName() : null;
            default -> {
                if (depth == 0) {
                    throw new IllegalArgumentException("a terminal size is an object");
                }
                if (depth == 1 && field != null) {
                    set(field, token);
                }
            }
        }
    }

    /** Width and Height are uint16 in client-go's TerminalSize; anything else there is a decode error. */
    private void set(String name, JsonToken token) throws IOException {
        boolean isWidth = name.equalsIgnoreCase("Width");
        if (!isWidth && !name.equalsIgnoreCase("Height")) {
            return;
        }
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0 || parser.getLongValue() > 0xffff) {
            throw new IllegalArgumentException(name + " is not a uint16");
        }
        if (isWidth) {
            width = parser.getIntValue();
        } else {
            height = parser.getIntValue();
        }
    }
}
