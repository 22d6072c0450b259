package dev.berth.server.streaming;

import dev.berth.runtime.sys.Syscalls;
import dev.berth.sandbox.SandboxService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@link PortDialer} into a pod's network namespace. A socket belongs to the namespace of the
 * thread that creates it, so a short-lived platform thread joins the pod's namespace, connects,
 * and ends; the daemon's other threads never leave the host's namespace. A host-network pod is
 * dialled from here.
 */
public final class PodPortDialer implements PortDialer {
    private static final List<InetAddress> LOCALHOST = List.of(InetAddress.getLoopbackAddress(), loopback6());

    private final SandboxService sandboxes;
    private final Syscalls sys;

    public PodPortDialer(SandboxService sandboxes, Syscalls sys) {
        this.sandboxes = sandboxes;
        this.sys = sys;
    }

    @Override
    public SocketChannel dial(String podSandboxId, int port) throws IOException {
        if (port < 1 || port > 65535) {
            throw new IOException("port " + port + " is outside 1-65535");
        }
        Optional<Path> netns = sandboxes.networkNamespaceOf(podSandboxId);
        if (netns.isEmpty()) {
            return connect(port);
        }
        CompletableFuture<SocketChannel> result = new CompletableFuture<>();
        Thread.ofPlatform().name("berth-portforward-dial").start(() -> {
            try {
                sys.setns(netns.get(), Syscalls.CLONE_NEWNET);
                result.complete(connect(port));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot dial port " + port + " in pod " + podSandboxId + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while dialling port " + port);
        }
    }

    /** localhost:port over IPv4, then IPv6, as kubelet's port-forward does. */
    private static SocketChannel connect(int port) throws IOException {
        IOException last = null;
        for (InetAddress address : LOCALHOST) {
            try {
                return SocketChannel.open(new InetSocketAddress(address, port));
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("nothing listens on localhost:" + port + " in the pod: " + last.getMessage(), last);
    }

    private static InetAddress loopback6() {
        try {
            return InetAddress.getByName("::1");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
