package dev.berth.runtime.shim;

import dev.berth.runtime.CreateOptions;
import java.nio.file.Path;
import java.time.Clock;

/** A stand-in daemon for crash tests: creates and starts a container, says so, then waits to be killed -9. */
public final class CreateAndHang {
    private CreateAndHang() {}

    public static void main(String[] args) throws Exception {
        ShimRuntime runtime = ShimRuntime.open(Path.of(args[0]), CgroupPlacement.none(), Clock.systemUTC());
        runtime.create(args[1], Path.of(args[2]), new CreateOptions(Path.of(args[3]), false));
        runtime.start(args[1]);
        runtime.exit(args[1]); // a live exit watcher, as the daemon has
        System.out.println("started");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
