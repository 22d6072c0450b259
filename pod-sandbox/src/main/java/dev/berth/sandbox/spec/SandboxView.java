package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.NamespaceOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the sandbox gives its containers.
 *
 * @param pausePid the pause process, whose IPC, UTS and PID namespaces the containers join
 * @param netnsPath the pod's pinned network namespace; null = host network
 * @param podNamespaces the pod's namespace options (null = all POD)
 * @param hostsFile the pod's hosts file, bound over /etc/hosts (null or missing = none)
 * @param resolvConfFile likewise for /etc/resolv.conf
 * @param hostnameFile likewise for /etc/hostname
 * @param shmDir the pod's /dev/shm; null = the host's /dev/shm (host IPC)
 * @param cgroupParent the pod's cgroup, which the container's cgroup goes in ("" = {@code /berth}, for pods of older daemons)
 * @param hostname the pod's hostname, for the HOSTNAME variable; "" = the node's (host network)
 * @param cgroupsPaths how cgroupsPath is written for the cgroup driver in use
 */
public record SandboxView(String sandboxId, long pausePid, String netnsPath, NamespaceOption podNamespaces, Path hostsFile,
        Path resolvConfFile, Path hostnameFile, Path shmDir, String cgroupParent, String hostname, CgroupsPathStyle cgroupsPaths) {
    public SandboxView {
        Objects.requireNonNull(sandboxId, "sandboxId");
        podNamespaces = Objects.requireNonNullElse(podNamespaces, NamespaceOption.getDefaultInstance());
        cgroupParent = Objects.requireNonNullElse(cgroupParent, "");
        hostname = Objects.requireNonNullElse(hostname, "");
        cgroupsPaths = Objects.requireNonNullElse(cgroupsPaths, CgroupsPathStyle.CGROUPFS);
    }

    /** Under the cgroupfs driver. */
    public SandboxView(String sandboxId, long pausePid, String netnsPath, NamespaceOption podNamespaces, Path hostsFile,
            Path resolvConfFile, Path hostnameFile, Path shmDir, String cgroupParent, String hostname) {
        this(sandboxId, pausePid, netnsPath, podNamespaces, hostsFile, resolvConfFile, hostnameFile, shmDir, cgroupParent, hostname,
                CgroupsPathStyle.CGROUPFS);
    }
}
