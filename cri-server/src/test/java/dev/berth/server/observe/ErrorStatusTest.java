package dev.berth.server.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.berth.image.ImageException;
import io.grpc.Status;
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
}
