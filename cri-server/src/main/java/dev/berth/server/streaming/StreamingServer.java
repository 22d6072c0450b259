package dev.berth.server.streaming;

import dev.berth.server.config.ListenAddress;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Berth's streaming server (DESIGN §6): the HTTP(S) endpoint kubelet proxies kubectl exec,
 * attach and port-forward to. {@link #issue} turns a CRI request into a one-time URL; a client
 * that connects to it gets the SPDY/3.1 or WebSocket protocol of that request.
 *
 * <p>Like the CRI server it runs on Netty's epoll transport: one acceptor and two I/O threads that
 * only move bytes. Everything that blocks (starting a process, dialing a port, copying a pipe)
 * runs on virtual threads, bounded per stream.
 *
 * <p>Pipeline of a connection, by handler name: [{@value #TLS}] {@value #IDLE} {@value #HTTP}
 * {@value #AGGREGATOR} {@value #ROUTER}. A protocol that takes the connection over removes
 * {@value #HTTP}, {@value #AGGREGATOR} and {@value #ROUTER} and adds its own handlers.
 */
public final class StreamingServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamingServer.class.getName());
    static final String TLS = "tls";
    static final String IDLE = "idle";
    static final String HTTP = "http";
    static final String AGGREGATOR = "aggregator";
    static final String ROUTER = "router";
    private static final int IO_THREADS = 2;
    /** An upgrade request is a request line and headers, no body. */
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_BODY_BYTES = 8 * 1024;

    /**
     * @param address where to listen; port 0 picks a free port
     * @param tls serves HTTPS with it when present
     */
    public record Settings(ListenAddress address, Optional<SslContext> tls, StreamLimits limits) {
        public Settings {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(limits, "limits");
        }
    }

    private final Settings settings;
    private final StreamTokens tokens;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final ChannelGroup connections;

    private StreamingServer(Settings settings, StreamTokens tokens, EventLoopGroup boss, EventLoopGroup workers, Channel listener,
            ChannelGroup connections) {
        this.settings = settings;
        this.tokens = tokens;
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
        this.connections = connections;
    }

    public static StreamingServer start(Settings settings, StreamTokens tokens, RemoteCommands commands, PortDialer dialer)
            throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Netty's native epoll transport is unavailable on this host (" + Epoll.unavailabilityCause() + ")");
        }
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("berth-stream-accept", true),
                EpollIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(IO_THREADS, new DefaultThreadFactory("berth-stream-io", true),
                EpollIoHandler.newFactory());
        ChannelGroup connections = new DefaultChannelGroup("berth-streaming", GlobalEventExecutor.INSTANCE);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true) // interactive shells send single keystrokes
                .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                    @Override
                    protected void initChannel(EpollSocketChannel channel) {
                        connections.add(channel);
                        ChannelPipeline pipeline = channel.pipeline();
                        settings.tls().ifPresent(tls -> pipeline.addLast(TLS, tls.newHandler(channel.alloc())));
                        pipeline.addLast(IDLE, new IdleCloser(settings.limits()))
                                .addLast(HTTP, new HttpServerCodec(4096, MAX_HEADER_BYTES, 8192))
                                .addLast(AGGREGATOR, new HttpObjectAggregator(MAX_BODY_BYTES))
                                .addLast(ROUTER, new StreamRouter(tokens, commands, dialer, settings.limits()));
                    }
                });
        try {
            InetSocketAddress bindTo = new InetSocketAddress(InetAddress.getByName(settings.address().host()), settings.address().port());
            Channel listener = bootstrap.bind(bindTo).sync().channel();
            StreamingServer server = new StreamingServer(settings, tokens, boss, workers, listener, connections);
            LOG.info(() -> "streaming server on " + server.baseUrl());
            return server;
        } catch (IOException | RuntimeException e) {
            shutdown(boss, workers);
            throw new IOException("cannot listen on " + settings.address() + " for streaming: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            shutdown(boss, workers);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + settings.address(), e);
        }
    }

    /** A one-time URL for {@code request}; throws {@link StreamTokens.LimitReachedException} when too many wait. */
    public String issue(StreamRequest request) {
        return url(StreamKind.of(request), tokens.issue(request));
    }

    /** {@code http(s)://<host>:<bound port>/<kind>/<token>}. */
    public String url(StreamKind kind, String token) {
        return baseUrl() + "/" + kind.path() + "/" + token;
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * The configured host, except that a wildcard address, which no client can dial, becomes the
     * loopback address of its family: kubelet on the same node can reach that.
     */
    private String baseUrl() {
        String host = settings.address().host();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        } else if (host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
            host = "::1";
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (settings.tls().isPresent() ? "https" : "http") + "://" + host + ":" + port();
    }

    /** Stops listening and closes every connection; sessions end as if their clients had gone. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        // closed while their event loops still run, so every session sees its connection end
        connections.close().awaitUninterruptibly();
        shutdown(boss, workers);
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers) {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Closes a connection that carried nothing either way for the idle timeout. */
    private static final class IdleCloser extends IdleStateHandler {
        IdleCloser(StreamLimits limits) {
            super(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
            LOG.fine(() -> "closing idle streaming connection from " + ctx.channel().remoteAddress());
            ctx.close();
        }
    }
}
