package dev.berth.runtime.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Berth's model of an OCI runtime bundle's {@code config.json} (runtime-spec config.md and
 * config-linux.md), the Linux subset Berth runs. Field names are the spec's JSON names.
 * Unknown fields are ignored, as the spec asks of runtimes; absent ones are null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Spec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Map<String, String> annotations,
        Linux linux) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Process(
            Boolean terminal,
            User user,
            List<String> args,
            List<String> env,
            String cwd,
            Capabilities capabilities,
            List<Rlimit> rlimits,
            Boolean noNewPrivileges,
            Integer oomScoreAdj,
            String apparmorProfile,
            String selinuxLabel) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record User(Long uid, Long gid, Integer umask, List<Long> additionalGids) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Capabilities(
            List<String> bounding, List<String> effective, List<String> inheritable, List<String> permitted, List<String> ambient) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rlimit(String type, long hard, long soft) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Root(String path, Boolean readonly) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mount(String destination, String type, String source, List<String> options) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Linux(
            List<Namespace> namespaces,
            List<IdMapping> uidMappings,
            List<IdMapping> gidMappings,
            List<Device> devices,
            String cgroupsPath,
            Resources resources,
            String rootfsPropagation,
            Seccomp seccomp,
            Map<String, String> sysctl,
            List<String> maskedPaths,
            List<String> readonlyPaths,
            String mountLabel) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Namespace(String type, String path) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record IdMapping(long containerID, long hostID, long size) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Device(String type, String path, Long major, Long minor, Integer fileMode, Long uid, Long gid) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(
            Memory memory, Cpu cpu, Pids pids, List<HugepageLimit> hugepageLimits, Map<String, String> unified) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Memory(Long limit, Long reservation, Long swap, Long swappiness, Boolean disableOOMKiller) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cpu(Long shares, Long quota, Long period, String cpus, String mems) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pids(long limit) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HugepageLimit(String pageSize, long limit) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Seccomp(String defaultAction, Integer defaultErrnoRet, List<String> architectures, List<Syscall> syscalls) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Syscall(List<String> names, String action, Integer errnoRet, List<SyscallArg> args) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SyscallArg(int index, long value, long valueTwo, String op) {}
}
