package dev.berth.sandbox;

import dev.berth.cni.PodNetwork;
import dev.berth.runtime.ContainerRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the sandbox operations share: the records, the reserved names, the runtime and pod
 * network seams, where pause bundles go, and the injected clock and id source.
 *
 * @param bundles volatile dir holding one pause bundle per sandbox ({@code <state>/sandboxes/<id>})
 * @param handlers the runtime handlers Berth serves ("" is the default handler)
 */
record SandboxEnv(
        SandboxStore store,
        NameRegistry names,
        ContainerRuntime runtime,
        PodNetwork network,
        Path bundles,
        EtcFiles etc,
        Set<String> handlers,
        Clock clock,
        Supplier<String> ids,
        KeyedLocks locks) {

    Path bundleOf(String id) {
        return bundles.resolve(id);
    }
}
