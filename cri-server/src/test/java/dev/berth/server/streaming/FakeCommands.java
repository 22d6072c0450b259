package dev.berth.server.streaming;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** RemoteCommands over fake processes: each request is handed to {@code factory}, and recorded. */
final class FakeCommands implements RemoteCommands {
    final List<StreamRequest> requests = new CopyOnWriteArrayList<>();
    final List<FakeProcess> processes = new CopyOnWriteArrayList<>();
    private volatile Function<StreamRequest, FakeProcess> factory;

    FakeCommands(Function<StreamRequest, FakeProcess> factory) {
        this.factory = factory;
    }

    void answer(Function<StreamRequest, FakeProcess> next) {
        factory = next;
    }

    @Override
    public RemoteProcess exec(StreamRequest.Exec request) {
        return open(request);
    }

    @Override
    public RemoteProcess attach(StreamRequest.Attach request) {
        return open(request);
    }

    private RemoteProcess open(StreamRequest request) {
        requests.add(request);
        FakeProcess process = factory.apply(request);
        processes.add(process);
        return process;
    }
}
