package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.NamespaceMode;
import dev.berth.cri.api.v1.NamespaceOption;
import dev.berth.runtime.oci.Spec;
import java.util.ArrayList;
import java.util.List;

/**
 * The namespaces a container creates or joins. It always gets its own mount namespace, joins
 * the pod's network namespace (none to join for host network), and the pause process's IPC and
 * UTS namespaces unless it uses the node's. Its PID namespace follows its own mode: the pod's,
 * its own, the node's, or another container's (TARGET). A listed namespace with no path is
 * new; an absent one is the node's.
 */
final class ContainerNamespaces {
    private ContainerNamespaces() {}

    /**
     * @param options the container's namespace options
     * @param targetPid the TARGET container's init pid, 0 when not known
     * @param cgroupNamespace give the container its own cgroup namespace (cgroup v2, not privileged)
     */
    static List<Spec.Namespace> forContainer(NamespaceOption options, SandboxView sandbox, long targetPid, boolean cgroupNamespace) {
        NamespaceOption pod = sandbox.podNamespaces();
        if (options.hasUsernsOptions() && options.getUsernsOptions().getMode() != NamespaceMode.NODE) {
            throw new SpecException("namespace_options.userns_options: mode " + options.getUsernsOptions().getMode()
                    + " is not supported; Berth runs pods in the node's user namespace (set hostUsers: true)");
        }
        List<Spec.Namespace> out = new ArrayList<>();
        out.add(new Spec.Namespace("mount", null));
        boolean hostNetwork = sandbox.netnsPath() == null || pod.getNetwork() == NamespaceMode.NODE;
        if (!hostNetwork) {
            out.add(new Spec.Namespace("network", sandbox.netnsPath()));
        }
        if (options.getIpc() != NamespaceMode.NODE && pod.getIpc() != NamespaceMode.NODE) {
            out.add(new Spec.Namespace("ipc", pauseNamespace(sandbox, "ipc")));
        }
        if (!hostNetwork) {
            out.add(new Spec.Namespace("uts", pauseNamespace(sandbox, "uts")));
        }
        Spec.Namespace pid = pid(options, sandbox, targetPid);
        if (pid != null) {
            out.add(pid);
        }
        if (cgroupNamespace) {
            out.add(new Spec.Namespace("cgroup", null));
        }
        return List.copyOf(out);
    }

    private static Spec.Namespace pid(NamespaceOption options, SandboxView sandbox, long targetPid) {
        return switch (options.getPid()) {
            case POD -> sandbox.podNamespaces().getPid() == NamespaceMode.NODE ? null
                    : new Spec.Namespace("pid", pauseNamespace(sandbox, "pid"));
            case CONTAINER -> new Spec.Namespace("pid", null);
            case NODE -> null;
            case TARGET -> {
                if (targetPid <= 0) {
                    throw new SpecException("namespace_options.pid is TARGET but target container \"" + options.getTargetId()
                            + "\" has no running process; start the target container first");
                }
                yield new Spec.Namespace("pid", "/proc/" + targetPid + "/ns/pid");
            }
            default -> throw new SpecException("namespace_options.pid: unknown mode " + options.getPidValue()
                    + "; use POD, CONTAINER, NODE or TARGET");
        };
    }

    private static String pauseNamespace(SandboxView sandbox, String type) {
        if (sandbox.pausePid() <= 0) {
            throw new SpecException("sandbox " + sandbox.sandboxId() + " has no running pause process to join its " + type
                    + " namespace; start the pod again");
        }
        return "/proc/" + sandbox.pausePid() + "/ns/" + type;
    }
}
