package dev.berth.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.NoSuchContainerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code info} map of a verbose status: one key "info" holding JSON, as containerd answers
 * (crictl inspect prints it): the process id, the sandbox, and the OCI spec the runtime ran.
 */
final class VerboseInfo {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VerboseInfo() {}

    static Map<String, String> container(SandboxEnv env, ContainerRecord record) {
        ObjectNode info = JSON.createObjectNode();
        info.put("sandboxID", record.sandboxId());
        info.put("pid", pid(env, record.id()));
        info.put("image", record.image());
        info.put("snapshotKey", record.id());
        info.put("logPath", record.logPath());
        addSpec(info, env.containerBundleOf(record.id()));
        return Map.of("info", info.toString());
    }

    static Map<String, String> sandbox(SandboxEnv env, SandboxRecord record) {
        ObjectNode info = JSON.createObjectNode();
        info.put("pid", pid(env, record.id()));
        info.put("runtimeHandler", record.runtimeHandler());
        info.put("netNamespacePath", record.netnsPath() == null ? "" : record.netnsPath());
        info.put("cgroupParent", record.cgroupParent());
        if (record.podCgroup() != null) {
            info.set("podCgroup", JSON.valueToTree(record.podCgroup()));
        }
        addSpec(info, env.bundleOf(record.id()));
        return Map.of("info", info.toString());
    }

    private static long pid(SandboxEnv env, String id) {
        try {
            return env.runtime().state(id).pid();
        } catch (NoSuchContainerException e) {
            return 0;
        }
    }

    private static void addSpec(ObjectNode info, Path bundle) {
        Path config = bundle.resolve("config.json");
        try {
            if (Files.isRegularFile(config)) {
                info.set("runtimeSpec", JSON.readTree(config.toFile()));
            }
        } catch (IOException e) {
            info.put("runtimeSpecError", e.getMessage());
        }
    }
}
