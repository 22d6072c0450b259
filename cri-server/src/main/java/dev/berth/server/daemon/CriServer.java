package dev.berth.server.daemon;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The CRI gRPC server on a unix socket, on Netty's native epoll transport.
 *
 * <p>Netty's event loops only move bytes (one acceptor, two I/O threads for a 2-core node);
 * handlers run on virtual threads, so an RPC that blocks on a pull or a CNI plugin holds no
 * platform thread, and concurrency per connection is capped.
 */
final class CriServer {
    private static final int IO_THREADS = 2;
    private static final int MAX_CONCURRENT_CALLS_PER_CONNECTION = 256;

    private final Server server;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService handlers;

    private CriServer(Server server, EventLoopGroup boss, EventLoopGroup workers, ExecutorService handlers) {
        this.server = server;
        this.boss = boss;
        this.workers = workers;
        this.handlers = handlers;
    }

    static CriServer start(Path socket, int maxMessageBytes, List<BindableService> services, ServerInterceptor interceptor)
            throws DaemonStartException {
        if (!Epoll.isAvailable()) {
            throw new DaemonStartException("Netty's native epoll transport is unavailable on this host ("
                    + Epoll.unavailabilityCause() + "); Berth needs Linux on x86_64 with the netty-transport-native-epoll jar");
        }
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("berth-grpc-accept", true),
                EpollIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(IO_THREADS, new DefaultThreadFactory("berth-grpc-io", true),
                EpollIoHandler.newFactory());
        ExecutorService handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("berth-rpc-", 0).factory());
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .executor(handlers)
                .maxInboundMessageSize(maxMessageBytes)
                .maxConcurrentCallsPerConnection(MAX_CONCURRENT_CALLS_PER_CONNECTION);
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(service, interceptor));
        }
        CriServer server = new CriServer(builder.build(), boss, workers, handlers);
        try {
            server.server.start();
        } catch (IOException e) {
            server.stop(Duration.ZERO);
            throw new DaemonStartException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
        return server;
    }

    /** Stops taking calls, lets calls in flight finish for up to {@code grace}, then cancels the rest. */
    void stop(Duration grace) {
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        handlers.shutdown();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
