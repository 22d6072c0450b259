package dev.berth.server.streaming;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Logger;

/**
 * Port-forward over SPDY (kubelet's portforward server, {@code portforward.k8s.io}). Each
 * forwarded connection is a pair of client streams with the same {@code requestID} header: a
 * data stream and an error stream, both naming the {@code port}. A complete pair is forwarded
 * on its own threads; a pair still incomplete after the stream-creation timeout is told so and
 * dropped. Any port may be named, as in kubelet: the request's port list only matters to WebSocket.
 */
final class SpdyPortForwardSession implements SpdyConnection.Listener {
    private static final Logger LOG = Logger.getLogger(SpdyPortForwardSession.class.getName());
    static final String PORT = "port";
    static final String REQUEST_ID = "requestid";
    static final String DATA = "data";

    private final StreamRequest.PortForward request;
    private final PortDialer dialer;
    // event loop only
    private final Map<String, PortForwardPair> pending = new HashMap<>();
    private final Map<PortForwardPair, ScheduledFuture<?>> deadlines = new HashMap<>();
    private final Set<PortForwardPair> forwarding = ConcurrentHashMap.newKeySet();
    private SpdyConnection connection;
    private volatile boolean closed;

    SpdyPortForwardSession(StreamRequest.PortForward request, PortDialer dialer) {
        this.request = request;
        this.dialer = dialer;
    }

    @Override
    public void opened(SpdyConnection connection) {
        this.connection = connection;
    }

    /** Refuses a stream without a valid port or stream type, as kubelet does before replying. */
    @Override
    public boolean streamOpened(SpdyStream stream) {
        String type = stream.header(SpdyRemoteCommandSession.STREAM_TYPE);
        if (PortForwardPair.port(stream) < 1 || !(SpdyRemoteCommandSession.ERROR.equals(type) || DATA.equals(type))) {
            LOG.fine(() -> "port-forward to pod " + request.podSandboxId() + ": refused stream " + stream.id() + " with port "
                    + stream.header(PORT) + " and stream type " + type);
            return false;
        }
        String requestId = requestId(stream, type);
        PortForwardPair pair = pending.get(requestId);
        if (pair == null) {
            PortForwardPair created = new PortForwardPair(requestId, request.podSandboxId());
            pair = created;
            pending.put(requestId, created);
            deadlines.put(created, connection.schedule(() -> expire(created), connection.limits().streamCreationTimeout()));
        }
        String problem = pair.add(stream, type);
        if (problem != null) {
            pair.report("error processing stream for request " + requestId + ": " + problem);
            stream.discardInbound();
            connection.later(stream::finish);
        } else if (pair.complete()) {
            pending.remove(requestId);
            deadlines.remove(pair).cancel(false);
            forward(pair);
        }
        return true;
    }

    /**
     * Old clients send no request id; kubelet pairs their streams by id instead (error stream n,
     * data stream n + 2), which only works while their connections do not overlap.
     */
    private static String requestId(SpdyStream stream, String type) {
        String id = stream.header(REQUEST_ID);
        if (id != null && !id.isEmpty()) {
            return id;
        }
        return Integer.toString(type.equals(DATA) ? stream.id() - 2 : stream.id());
    }

    private void forward(PortForwardPair pair) {
        forwarding.add(pair);
        Pipes.start("berth-portforward-" + request.podSandboxId() + "-" + pair.requestId(), () -> {
            try {
                if (!closed) {
                    pair.forward(dialer);
                }
            } finally {
                forwarding.remove(pair);
            }
        });
        if (closed) { // the connection went while the thread started: closed() may have missed it
            pair.close();
        }
    }

    private void expire(PortForwardPair pair) {
        if (pending.remove(pair.requestId(), pair)) {
            deadlines.remove(pair);
            pair.expire();
        }
    }

    @Override
    public void closed() {
        closed = true;
        deadlines.values().forEach(deadline -> deadline.cancel(false));
        deadlines.clear();
        pending.clear();
        forwarding.forEach(PortForwardPair::close);
    }
}
