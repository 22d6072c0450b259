package dev.berth.runtime.bench;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.shim.CgroupPlacement;
import dev.berth.runtime.shim.ShimRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * create → start → wait → delete through the runtime seam in a warm JVM, N times; prints
 * p50/p90/min/max in ms. Run by scripts/bench/runtime-lifecycle.sh (root; a bundle made there).
 * Usage: LifecycleBench STATE_DIR BUNDLE ITERATIONS, or LifecycleBench STATE_DIR BUNDLE hold N:
 * N containers of the bundle left running until stdin closes (to measure the shims' memory).
 */
public final class LifecycleBench {
    private LifecycleBench() {}

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        Path bundle = Path.of(args[1]);
        ContainerRuntime runtime = ShimRuntime.open(state, CgroupPlacement.none(), Clock.systemUTC());
        if (args[2].equals("hold")) {
            hold(runtime, bundle, Integer.parseInt(args[3]));
            return;
        }
        int n = Integer.parseInt(args[2]);
        for (int i = 0; i < 20; i++) { // warm-up: JIT and page cache
            once(runtime, bundle, "warm" + i);
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            once(runtime, bundle, "bench" + i);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("berth seam\tn=%d\tmin=%.2f\tp50=%.2f\tp90=%.2f\tmax=%.2f ms%n", n, ms[0], ms[n / 2], ms[(int) (n * 0.9)], ms[n - 1]);
    }

    private static void hold(ContainerRuntime runtime, Path bundle, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            runtime.create("hold" + i, bundle, CreateOptions.defaults());
            runtime.start("hold" + i);
        }
        System.out.println("running " + n);
        System.out.flush();
        System.in.read();
        for (int i = 0; i < n; i++) {
            runtime.delete("hold" + i, true);
        }
    }

    private static void once(ContainerRuntime runtime, Path bundle, String id) throws Exception {
        runtime.create(id, bundle, CreateOptions.defaults());
        runtime.start(id);
        runtime.exit(id).get(30, TimeUnit.SECONDS);
        runtime.delete(id, false);
    }
}
