package dev.berth.server.cli;

import dev.berth.cri.api.v1.RuntimeServiceGrpc;
import dev.berth.cri.api.v1.VersionRequest;
import dev.berth.cri.api.v1.VersionResponse;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth version}: ask a running daemon for its CRI Version, like {@code crictl version}. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Ask the running daemon for its version over the CRI socket.")
final class VersionCommand implements Callable<Integer> {

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "/run/berth/berth.sock",
            description = "CRI socket of the daemon (default: ${DEFAULT-VALUE}).")
    Path socket;

    @Override
    public Integer call() throws InterruptedException {
        try (CriChannels client = new CriChannels(socket)) {
            VersionResponse v = RuntimeServiceGrpc.newBlockingStub(client.channel())
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .version(VersionRequest.getDefaultInstance());
            System.out.println("Version:  " + v.getVersion());
            System.out.println("RuntimeName:  " + v.getRuntimeName());
            System.out.println("RuntimeVersion:  " + v.getRuntimeVersion());
            System.out.println("RuntimeApiVersion:  " + v.getRuntimeApiVersion());
            return 0;
        } catch (StatusRuntimeException e) {
            System.err.println("berth: no answer from the daemon on " + socket + ": " + e.getStatus());
            return ExitCodes.UNREACHABLE;
        }
    }
}
