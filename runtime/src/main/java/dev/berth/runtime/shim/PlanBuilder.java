package dev.berth.runtime.shim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes berth-shim's launch plan format (see runtime/src/main/c/plan.h): one record per
 * line, each field a netstring {@code <len>:<bytes>,}, the first naming the directive.
 */
final class PlanBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);

    PlanBuilder add(String directive, String... args) {
        field(directive);
        for (String arg : args) {
            field(arg);
        }
        out.write('\n');
        return this;
    }

    PlanBuilder add(String directive, List<String> args) {
        return add(directive, args.toArray(String[]::new));
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void field(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL byte cannot be passed to a process: " + value.replace('\0', '?'));
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(bytes);
        out.write(',');
    }
}
