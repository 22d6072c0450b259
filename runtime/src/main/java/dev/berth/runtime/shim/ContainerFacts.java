package dev.berth.runtime.shim;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * What a container's state directory says that never changes once its shim reported ready:
 * bundle, creation time, cgroups path, whether it has a PID namespace of its own, the init's
 * pid. Read once per container and kept, so status and list calls touch no files.
 */
record ContainerFacts(Path bundle, Instant created, String cgroupsPath, boolean ownPidNamespace, long pid) {

    static final String OWN_PID_NS = "own_pid_ns";

    static ContainerFacts read(String id, ContainerDir dir) throws IOException {
        Map<String, String> meta = dir.readMeta();
        if (meta == null) { // a directory of a create that never got to write its meta
            return new ContainerFacts(null, Instant.EPOCH, defaultCgroupsPath(id), true, dir.pid());
        }
        return new ContainerFacts(Path.of(meta.getOrDefault("bundle", "/")),
                Instant.parse(meta.getOrDefault("created", Instant.EPOCH.toString())),
                meta.getOrDefault("cgroups_path", defaultCgroupsPath(id)),
                !"false".equals(meta.get(OWN_PID_NS)), // containers of older daemons: as before
                dir.pid());
    }

    static String defaultCgroupsPath(String id) {
        return "/berth/" + id;
    }
}
