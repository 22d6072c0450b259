package dev.berth.sandbox.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.oci.Spec;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Localhost seccomp profile: the Docker/containerd JSON (archMap, name or names,
 * includes/excludes) or a plain OCI {@code linux.seccomp} object, which is its subset. Rules are
 * selected for this host (amd64, the running kernel) and for a container assumed to have no
 * capability: a rule that {@code includes} caps is dropped, one that {@code excludes} caps kept.
 * {@code flags} and {@code listenerPath} are ignored: berth-shim sets no filter flags and has no
 * notify support, so SCMP_ACT_NOTIFY is refused.
 */
final class SeccompProfileFile {
    static final int MAX_BYTES = 4 << 20;
    /** moby's name for this host's architecture in archMap and includes/excludes.arches. */
    static final String NATIVE_ARCH = "amd64";
    static final List<String> NATIVE_ARCHES = List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
    /** Actions berth-shim applies (runtime's SeccompPlans). */
    static final Set<String> ACTIONS = Set.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS",
            "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG");
    static final Set<String> OPERATORS = Set.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
            "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
    /** The architectures of the OCI runtime spec (config-linux.md). */
    static final Set<String> ARCHES = Set.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
            "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
            "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
            "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
            "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");
    private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String where;
    private final KernelVersion kernel;

    private SeccompProfileFile(String where, KernelVersion kernel) {
        this.where = where;
        this.kernel = kernel;
    }

    /** The profile in {@code file}, an absolute path on the node. */
    static Spec.Seccomp read(Path file) {
        byte[] bytes;
        try {
            // A FIFO or device would block or never end.
            if (!Files.readAttributes(file, BasicFileAttributes.class).isRegularFile()) {
                throw new SpecException("the seccomp profile " + file + " is not a regular file; check localhostRef");
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (IOException e) {
            throw new SpecException("cannot read the seccomp profile " + file + ": " + e
                    + "; install the profile on the node or fix localhostRef", e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new SpecException("the seccomp profile " + file + " is larger than " + (MAX_BYTES >> 20)
                    + " MiB; it cannot be a seccomp profile, check localhostRef");
        }
        return parse(bytes, file.toString(), KernelVersion.running());
    }

    static Spec.Seccomp parse(byte[] json, String where, KernelVersion kernel) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SpecException("the seccomp profile " + where + " is not valid JSON (" + e.getOriginalMessage()
                    + "); fix the file", e);
        } catch (IOException e) {
            throw new SpecException("cannot parse the seccomp profile " + where + ": " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw new SpecException("the seccomp profile " + where + " is not a JSON object; fix the file");
        }
        return new SeccompProfileFile(where, kernel).profile(root);
    }

    private Spec.Seccomp profile(JsonNode root) {
        String defaultAction = action(root.path("defaultAction"), "defaultAction");
        Integer defaultErrno = errno(root.path("defaultErrnoRet"), "defaultErrnoRet");
        List<String> arches = strings(root.path("architectures"), "architectures");
        JsonNode archMap = root.path("archMap");
        if (!arches.isEmpty() && !archMap.isMissingNode() && !archMap.isEmpty()) {
            throw invalid("has both architectures and archMap; keep one of them");
        }
        for (JsonNode entry : array(archMap, "archMap")) {
            if (entry.path("architecture").asText().equals(NATIVE_ARCHES.getFirst())) {
                arches = new ArrayList<>(List.of(NATIVE_ARCHES.getFirst()));
                arches.addAll(strings(entry.path("subArchitectures"), "archMap[].subArchitectures"));
                break;
            }
        }
        for (String arch : arches) {
            if (!ARCHES.contains(arch)) {
                throw invalid("names the unknown architecture \"" + arch + "\"; use SCMP_ARCH_* names of the OCI runtime spec");
            }
        }
        List<Spec.Syscall> rules = new ArrayList<>();
        int index = 0;
        for (JsonNode rule : array(root.path("syscalls"), "syscalls")) {
            if (applies(rule)) {
                rules.add(syscall(rule, "syscalls[" + index + "]"));
            }
            index++;
        }
        return new Spec.Seccomp(defaultAction, defaultErrno, List.copyOf(arches), List.copyOf(rules));
    }

    private Spec.Syscall syscall(JsonNode rule, String field) {
        List<String> names = strings(rule.path("names"), field + ".names");
        JsonNode name = rule.path("name");
        if (!name.isMissingNode() && !name.asText().isEmpty()) {
            if (!names.isEmpty()) {
                throw invalid("has both name and names in " + field + "; keep names");
            }
            names = List.of(name.asText());
        }
        if (names.isEmpty() || names.stream().anyMatch(String::isEmpty)) {
            throw invalid("has no syscall name in " + field + "; give each rule names");
        }
        List<Spec.SyscallArg> args = new ArrayList<>();
        int index = 0;
        for (JsonNode arg : array(rule.path("args"), field + ".args")) {
            args.add(argument(arg, field + ".args[" + index++ + "]"));
        }
        return new Spec.Syscall(names, action(rule.path("action"), field + ".action"),
                errno(rule.path("errnoRet"), field + ".errnoRet"), args);
    }

    private Spec.SyscallArg argument(JsonNode arg, String field) {
        long index = unsigned(arg.path("index"), field + ".index");
        if (index > 5) {
            throw invalid("has " + field + ".index " + index + "; syscalls have arguments 0 to 5");
        }
        String op = arg.path("op").asText();
        if (!OPERATORS.contains(op)) {
            throw invalid("has the unknown operator \"" + op + "\" in " + field + ".op; use one of " + OPERATORS);
        }
        JsonNode valueTwo = arg.path("valueTwo");
        return new Spec.SyscallArg((int) index, unsigned(arg.path("value"), field + ".value"),
                valueTwo.isMissingNode() || valueTwo.isNull() ? 0 : unsigned(valueTwo, field + ".valueTwo"), op);
    }

    /** moby's includes/excludes, for amd64, this kernel and no capability. */
    private boolean applies(JsonNode rule) {
        JsonNode excludes = rule.path("excludes");
        if (strings(excludes.path("arches"), "excludes.arches").contains(NATIVE_ARCH)) {
            return false;
        }
        KernelVersion excludedFrom = minKernel(excludes.path("minKernel"));
        if (excludedFrom != null && kernel.atLeast(excludedFrom)) {
            return false;
        }
        JsonNode includes = rule.path("includes");
        List<String> arches = strings(includes.path("arches"), "includes.arches");
        if (!arches.isEmpty() && !arches.contains(NATIVE_ARCH)) {
            return false;
        }
        if (!strings(includes.path("caps"), "includes.caps").isEmpty()) {
            return false;
        }
        KernelVersion includedFrom = minKernel(includes.path("minKernel"));
        return includedFrom == null || kernel.atLeast(includedFrom);
    }

    private KernelVersion minKernel(JsonNode node) {
        if (node.isMissingNode() || node.isNull() || node.asText().isEmpty()) {
            return null;
        }
        KernelVersion version = KernelVersion.parse(node.asText());
        if (version == null) {
            throw invalid("has the minKernel \"" + node.asText() + "\"; write it as <kernel>.<major>, e.g. \"4.8\"");
        }
        return version;
    }

    private String action(JsonNode node, String field) {
        String action = node.asText();
        if (action.isEmpty()) {
            throw invalid("has no " + field + "; set it to one of " + ACTIONS);
        }
        if (action.equals("SCMP_ACT_NOTIFY")) {
            throw invalid("uses SCMP_ACT_NOTIFY in " + field + ", which Berth does not support; use another action");
        }
        if (!ACTIONS.contains(action)) {
            throw invalid("has the unknown action \"" + action + "\" in " + field + "; use one of " + ACTIONS);
        }
        return action;
    }

    /** An errno (or SCMP_ACT_TRACE message): the 16 data bits of a seccomp return value. */
    private Integer errno(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        long errno = unsigned(node, field);
        if (errno > 0xFFFF) {
            throw invalid("has " + field + " " + errno + "; it must be below 65536");
        }
        return (int) errno;
    }

    /** A JSON integer in [0, 2^64), as the long with the same bits. */
    private long unsigned(JsonNode node, String field) {
        BigInteger value = node.isIntegralNumber() ? node.bigIntegerValue() : null;
        if (value == null || value.signum() < 0 || value.compareTo(UINT64_LIMIT) >= 0) {
            throw invalid("has " + field + " " + node + "; it must be an unsigned 64-bit integer");
        }
        return value.longValue();
    }

    private List<String> strings(JsonNode node, String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : array(node, field)) {
            if (!value.isTextual()) {
                throw invalid("has " + value + " in " + field + "; it must be a list of strings");
            }
            values.add(value.asText());
        }
        return values;
    }

    private Iterable<JsonNode> array(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("has " + field + " that is not a list; fix the file");
        }
        return node;
    }

    private SpecException invalid(String what) {
        return new SpecException("the seccomp profile " + where + " " + what);
    }
}
