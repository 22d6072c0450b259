/**
 * CRI container config (plus the sandbox it joins and the image it runs) to OCI runtime spec:
 * process, user and groups, mounts, namespaces, security (capabilities, seccomp, masked
 * paths) and resources. Pure functions over their inputs; the only files read are the
 * container rootfs' /etc/passwd and /etc/group, the host devices asked for, and a Localhost
 * seccomp profile.
 */
package dev.berth.sandbox.spec;
