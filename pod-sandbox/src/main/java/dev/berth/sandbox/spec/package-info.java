/**
 * CRI container config (plus the sandbox it joins and the image it runs) to OCI runtime spec:
 * process, user and groups, mounts, namespaces, security (capabilities, seccomp, masked
 * paths) and resources. {@link dev.berth.sandbox.spec.ContainerSpecs} is the entry point.
 * Pure functions over their inputs; the only files read are the container rootfs' /etc/passwd
 * and /etc/group, the host paths of mounts and devices asked for (and /dev for privileged
 * containers), the sandbox's /etc files, a Localhost seccomp profile, and a few node facts
 * (cgroup v2 or not, AppArmor on or not, the node's hostname).
 */
package dev.berth.sandbox.spec;
