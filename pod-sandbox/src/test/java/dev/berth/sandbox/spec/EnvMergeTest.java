package dev.berth.sandbox.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.berth.cri.api.v1.KeyValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvMergeTest {
    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build();
    }

    @Test
    void theRequestOverridesTheImageByKeyInPlace() {
        List<String> env = EnvMerge.of(List.of("PATH=/app/bin:/usr/bin", "MODE=prod", "LANG=C"),
                List.of(kv("MODE", "dev"), kv("EXTRA", "1")), "web-0");
        assertEquals(List.of("PATH=/app/bin:/usr/bin", "HOSTNAME=web-0", "MODE=dev", "LANG=C", "EXTRA=1"), env);
    }

    @Test
    void withoutAnImagePathTheDefaultOneIsSet() {
        assertEquals(List.of(EnvMerge.DEFAULT_PATH, "HOSTNAME=h"), EnvMerge.of(List.of(), List.of(), "h"));
    }

    @Test
    void theRequestMayOverrideHostnameAndPath() {
        List<String> env = EnvMerge.of(List.of(), List.of(kv("HOSTNAME", "custom"), kv("PATH", "/x")), "h");
        assertEquals(List.of("PATH=/x", "HOSTNAME=custom"), env);
    }

    @Test
    void valuesMayHoldEqualsSignsAndBeEmpty() {
        List<String> env = EnvMerge.of(List.of("OPTS=a=b"), List.of(kv("EMPTY", "")), "h");
        assertTrue(env.contains("OPTS=a=b"));
        assertTrue(env.contains("EMPTY="));
    }

    @Test
    void anImageEntryWithoutEqualsUnsetsTheKey() {
        assertEquals(List.of(EnvMerge.DEFAULT_PATH), EnvMerge.of(List.of("HOSTNAME"), List.of(), "h"));
    }

    @Test
    void anEmptyNameIsRefused() {
        SpecException e = assertThrows(SpecException.class, () -> EnvMerge.of(List.of(), List.of(kv("", "x")), "h"));
        assertTrue(e.getMessage().contains("envs[0]"), e.getMessage());
    }
}
