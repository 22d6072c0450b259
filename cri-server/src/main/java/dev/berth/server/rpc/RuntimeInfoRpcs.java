package dev.berth.server.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.berth.cri.api.v1.CgroupDriver;
import dev.berth.cri.api.v1.LinuxRuntimeConfiguration;
import dev.berth.cri.api.v1.RuntimeCondition;
import dev.berth.cri.api.v1.RuntimeConfigRequest;
import dev.berth.cri.api.v1.RuntimeConfigResponse;
import dev.berth.cri.api.v1.RuntimeFeatures;
import dev.berth.cri.api.v1.RuntimeHandler;
import dev.berth.cri.api.v1.RuntimeHandlerFeatures;
import dev.berth.cri.api.v1.RuntimeStatus;
import dev.berth.cri.api.v1.StatusRequest;
import dev.berth.cri.api.v1.StatusResponse;
import dev.berth.cri.api.v1.VersionRequest;
import dev.berth.cri.api.v1.VersionResponse;
import dev.berth.runtime.CheckpointSupport;
import dev.berth.runtime.cgroup.CgroupLayout;
import dev.berth.sandbox.SandboxSettings;
import dev.berth.server.BuildInfo;
import dev.berth.server.config.BerthConfig;
import dev.berth.server.health.Condition;
import dev.berth.server.health.ReadinessCheck;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** CRI Version, Status and RuntimeConfig: what the runtime is and whether it is ready. */
public final class RuntimeInfoRpcs {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance));

    private final BerthConfig config;
    private final CgroupLayout cgroups;
    private final dev.berth.server.host.CgroupDriver driver;
    private final List<ReadinessCheck> checks;
    private final Supplier<CheckpointSupport> checkpoint;

    public RuntimeInfoRpcs(BerthConfig config, CgroupLayout cgroups, dev.berth.server.host.CgroupDriver driver,
            List<ReadinessCheck> checks) {
        this(config, cgroups, driver, checks, () -> CheckpointSupport.unavailable("no container runtime is wired"));
    }

    /** {@code checkpoint}: whether CRIU works here, asked (the runtime caches it) when verbose Status reports it. */
    public RuntimeInfoRpcs(BerthConfig config, CgroupLayout cgroups, dev.berth.server.host.CgroupDriver driver,
            List<ReadinessCheck> checks, Supplier<CheckpointSupport> checkpoint) {
        this.config = config;
        this.cgroups = cgroups;
        this.driver = driver;
        this.checks = List.copyOf(checks);
        this.checkpoint = checkpoint;
    }

    public VersionResponse version(VersionRequest request) {
        return VersionResponse.newBuilder()
                // "version" is the kubelet runtime API version the response speaks (fixed at 0.1.0 in CRI).
                .setVersion("0.1.0")
                .setRuntimeName(BuildInfo.RUNTIME_NAME)
                .setRuntimeVersion(BuildInfo.version())
                .setRuntimeApiVersion(BuildInfo.CRI_API_VERSION)
                .build();
    }

    /** Supplemental groups policy Strict is honoured (only the listed groups, none from the image's /etc/group). */
    private static final RuntimeFeatures FEATURES = RuntimeFeatures.newBuilder().setSupplementalGroupsPolicy(true).build();

    public StatusResponse status(StatusRequest request) {
        RuntimeStatus.Builder status = RuntimeStatus.newBuilder();
        for (ReadinessCheck check : checks) {
            Condition c = check.check();
            status.addConditions(RuntimeCondition.newBuilder()
                    .setType(c.type()).setStatus(c.ready()).setReason(c.reason()).setMessage(c.message()));
        }
        StatusResponse.Builder response = StatusResponse.newBuilder().setStatus(status).setFeatures(FEATURES);
        // kubelet reads what each handler supports: no recursive read-only mounts and no user
        // namespaces yet (both are refused with a clear message at CreateContainer/RunPodSandbox).
        SandboxSettings.DEFAULT_HANDLERS.stream().sorted().forEach(name -> response.addRuntimeHandlers(RuntimeHandler.newBuilder()
                .setName(name)
                .setFeatures(RuntimeHandlerFeatures.newBuilder().setRecursiveReadOnlyMounts(false).setUserNamespaces(false))));
        if (request.getVerbose()) {
            response.putAllInfo(verboseInfo());
        }
        return response.build();
    }

    public RuntimeConfigResponse runtimeConfig(RuntimeConfigRequest request) {
        CgroupDriver criDriver = driver == dev.berth.server.host.CgroupDriver.SYSTEMD ? CgroupDriver.SYSTEMD : CgroupDriver.CGROUPFS;
        return RuntimeConfigResponse.newBuilder()
                .setLinux(LinuxRuntimeConfiguration.newBuilder().setCgroupDriver(criDriver))
                .build();
    }

    /** Like containerd, each value is a JSON document; {@code crictl info} prints them. */
    private Map<String, String> verboseInfo() {
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("cgroupVersion", cgroups.mode().label());
        host.put("cgroupDriver", driver.configName());
        host.put("cgroupV1Controllers", cgroups.v1Controllers());
        host.put("cgroupUnifiedMount", cgroups.unifiedMount() == null ? "" : cgroups.unifiedMount().toString());
        host.put("javaVersion", Runtime.version().toString());
        CheckpointSupport criu = checkpoint.get();
        host.put("checkpointAvailable", criu.available());
        host.put("checkpointReason", criu.reason());
        host.put("criu", criu.criu());
        host.put("criuVersion", criu.criuVersion());
        Map<String, String> info = new LinkedHashMap<>();
        info.put("config", json(config));
        info.put("host", json(host));
        return info;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render status info as JSON", e);
        }
    }
}
