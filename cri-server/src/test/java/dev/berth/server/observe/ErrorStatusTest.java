package dev.berth.server.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.berth.image.ImageException;
import dev.berth.server.streaming.StreamRequest;
import dev.berth.server.streaming.StreamTokens;
import io.grpc.Status;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorStatusTest {

    @Test
    void everyImageExceptionKindMapsToItsCodeKeepingTheMessage() {
        Map<ImageException.Kind, Status.Code> expected = Map.of(
                ImageException.Kind.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT,
                ImageException.Kind.NOT_FOUND, Status.Code.NOT_FOUND,
                ImageException.Kind.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED,
                ImageException.Kind.BAD_CONTENT, Status.Code.INVALID_ARGUMENT,
                ImageException.Kind.UNAVAILABLE, Status.Code.UNAVAILABLE,
                ImageException.Kind.TIMEOUT, Status.Code.DEADLINE_EXCEEDED,
                ImageException.Kind.IN_USE, Status.Code.FAILED_PRECONDITION,
                ImageException.Kind.INTERNAL, Status.Code.INTERNAL);
        assertEquals(ImageException.Kind.values().length, expected.size(), "every kind is covered");
        expected.forEach((kind, code) -> {
            ImageException e = new ImageException(kind, "image \"x\" went wrong");
            Status status = ErrorStatus.of(e);
            assertEquals(code, status.getCode(), kind.name());
            assertEquals("image \"x\" went wrong", status.getDescription());
            assertSame(e, status.getCause());
        });
    }

    @Test
    void tooManyStreamingUrlsIsResourceExhausted() {
        StreamTokens tokens = new StreamTokens(Clock.systemUTC());
        StreamRequest request = new StreamRequest.PortForward("p", List.of());
        RuntimeException limit = null;
        for (int i = 0; i <= StreamTokens.MAX_IN_FLIGHT && limit == null; i++) {
            try {
                tokens.issue(request);
            } catch (StreamTokens.LimitReachedException e) {
                limit = e;
            }
        }
        Status status = ErrorStatus.of(limit);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode());
        assertSame(limit, status.getCause());
    }
}
