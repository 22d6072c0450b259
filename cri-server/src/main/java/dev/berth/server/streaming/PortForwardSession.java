package dev.berth.server.streaming;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Port-forward over WebSocket, as kubelet's portforward/websocket.go serves it: the i-th port has data channel
 * 2i (both ways) and error channel 2i+1, each opened with the port as a little-endian uint16; all ports are
 * dialed at once, and the connection closes when every port is done.
 */
final class PortForwardSession implements SessionHandler.Session {

    private final List<Integer> ports;
    private final FrameWriter writer;
    private final Runnable finish;
    private final List<ForwardedPort> forwarded = new ArrayList<>();
    private final AtomicInteger running;

    /** @param finish sends the closing handshake once every port is done */
    PortForwardSession(String podSandboxId, List<Integer> ports, PortDialer dialer, FrameWriter writer, ReadThrottle throttle,
            int bufferBytes, Runnable finish) {
        this.ports = List.copyOf(ports);
        this.writer = writer;
        this.finish = finish;
        this.running = new AtomicInteger(ports.size());
        for (int i = 0; i < ports.size(); i++) {
            forwarded.add(new ForwardedPort(podSandboxId, ports.get(i), 2 * i, dialer, writer, throttle, bufferBytes));
        }
    }

    /** Opens every port's channels and dials them all. */
    @Override
    public void start() {
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            byte[] portBytes = {(byte) port, (byte) (port >>> 8)};
            writer.sendNow(2 * i, portBytes, 0, 2);
            writer.sendNow(2 * i + 1, portBytes, 0, 2);
        }
        for (ForwardedPort port : forwarded) {
            port.start(this::portDone);
        }
    }

    private void portDone() {
        if (running.decrementAndGet() == 0) {
            finish.run();
        }
    }

    /** Only data channels are read; wsstream drops what arrives on the write-only error channels. */
    @Override
    public void onMessage(int channel, byte[] data) {
        if (channel % 2 == 0 && channel / 2 < forwarded.size()) {
            forwarded.get(channel / 2).fromClient(data);
        }
    }

    @Override
    public void onClosed() {
        forwarded.forEach(ForwardedPort::close);
    }
}
