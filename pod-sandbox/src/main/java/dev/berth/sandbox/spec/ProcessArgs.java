package dev.berth.sandbox.spec;

import dev.berth.cri.api.v1.ContainerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The container's argv, by kubelet's (and Docker's) rules: a command replaces the image's
 * entrypoint and cmd; otherwise the image entrypoint runs with the request's args, or with the
 * image cmd when there are none.
 */
final class ProcessArgs {
    private ProcessArgs() {}

    static List<String> of(ContainerConfig config, ImageDefaults image) {
        List<String> command = config.getCommandList();
        List<String> args = config.getArgsList();
        List<String> argv = new ArrayList<>(command);
        if (command.isEmpty()) {
            // An entrypoint of [""] is how an image says "no entrypoint" (docker build --entrypoint "").
            if (!image.entrypoint().equals(List.of(""))) {
                argv.addAll(image.entrypoint());
            }
            argv.addAll(args.isEmpty() ? image.cmd() : args);
        } else {
            argv.addAll(args);
        }
        if (argv.isEmpty()) {
            throw new SpecException("no command specified: the container config has no command or args and the image "
                    + "has no Entrypoint or Cmd; set the container's command");
        }
        return List.copyOf(argv);
    }
}
