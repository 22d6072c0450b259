package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's environment, built in containerd's order: a default PATH, HOSTNAME, the
 * image's Env, then the request's envs. A later value for a key replaces the earlier one in
 * its place, so an image PATH stays first; an image entry without "=" unsets the key.
 */
final class EnvMerge {
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private EnvMerge() {}

    static List<String> of(List<String> imageEnv, List<KeyValue> requestEnvs, String hostname) {
        Map<String, String> env = new LinkedHashMap<>();
        put(env, DEFAULT_PATH);
        put(env, "HOSTNAME=" + hostname);
        imageEnv.forEach(e -> put(env, e));
        for (int i = 0; i < requestEnvs.size(); i++) {
            KeyValue kv = requestEnvs.get(i);
            if (kv.getKey().isEmpty() || kv.getKey().contains("=")) {
                throw new SpecException("envs[" + i + "]: the name \"" + kv.getKey()
                        + "\" is not a valid environment variable name (it must be non-empty and have no '=')");
            }
            put(env, kv.getKey() + "=" + kv.getValue().toStringUtf8()); // bytes in the CRI, text to the kernel
        }
        return List.copyOf(new ArrayList<>(env.values()));
    }

    private static void put(Map<String, String> env, String entry) {
        int eq = entry.indexOf('=');
        if (eq < 0) {
            env.remove(entry);
        } else {
            env.put(entry.substring(0, eq), entry);
        }
    }
}
