package dev.berth.server.observe;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Wraps every CRI call once: turns exceptions that escape a handler into a gRPC status,
 * records metrics, and logs method, duration and status code at debug level.
 */
public final class RpcInterceptor implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(RpcInterceptor.class.getName());

    private final RpcMetrics metrics;
    private final LongSupplier nanoClock;

    public RpcInterceptor(RpcMetrics metrics, LongSupplier nanoClock) {
        this.metrics = metrics;
        this.nanoClock = nanoClock;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        long start = nanoClock.getAsLong();
        AtomicBoolean closed = new AtomicBoolean();
        ServerCall<Q, R> observed = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (closed.compareAndSet(false, true)) {
                    long nanos = nanoClock.getAsLong() - start;
                    metrics.record(method, status.getCode().name(), nanos);
                    log(method, status, nanos);
                }
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(observed, headers);
        } catch (RuntimeException e) {
            closeWithError(observed, method, e);
            return new ServerCall.Listener<>() {};
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                guard(() -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                guard(super::onHalfClose);
            }

            private void guard(Runnable step) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    closeWithError(observed, method, e);
                }
            }
        };
    }

    private static void closeWithError(ServerCall<?, ?> call, String method, RuntimeException e) {
        Status status = ErrorStatus.of(e);
        if (status.getCode() == Status.Code.INTERNAL) {
            LOG.log(Level.WARNING, method + " failed", e);
        }
        Metadata trailers = e instanceof StatusRuntimeException sre && sre.getTrailers() != null ? sre.getTrailers() : new Metadata();
        call.close(status, trailers);
    }

    private static void log(String method, Status status, long nanos) {
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(String.format("rpc %s %s %.3fms%s", method, status.getCode(), nanos / 1e6,
                    status.getDescription() == null ? "" : " " + status.getDescription()));
        }
    }
}
