package dev.berth.server.rpc;

import dev.berth.cri.api.v1.ImageFsInfoRequest;
import dev.berth.cri.api.v1.ImageFsInfoResponse;
import dev.berth.cri.api.v1.ImageServiceGrpc;
import dev.berth.cri.api.v1.ImageStatusRequest;
import dev.berth.cri.api.v1.ImageStatusResponse;
import dev.berth.cri.api.v1.ListImagesRequest;
import dev.berth.cri.api.v1.ListImagesResponse;
import dev.berth.cri.api.v1.PullImageRequest;
import dev.berth.cri.api.v1.PullImageResponse;
import dev.berth.cri.api.v1.RemoveImageRequest;
import dev.berth.cri.api.v1.RemoveImageResponse;
import dev.berth.cri.api.v1.StreamImagesRequest;
import dev.berth.cri.api.v1.StreamImagesResponse;
import io.grpc.stub.StreamObserver;

/** The CRI ImageService as gRPC sees it: each RPC is handed to {@link ImageRpcs}. */
public final class ImageServiceAdapter extends ImageServiceGrpc.ImageServiceImplBase {
    private final ImageRpcs images;

    public ImageServiceAdapter(ImageRpcs images) {
        this.images = images;
    }

    @Override
    public void pullImage(PullImageRequest request, StreamObserver<PullImageResponse> response) {
        RuntimeServiceAdapter.Unary.answer(request, response, images::pullImage);
    }

    @Override
    public void imageStatus(ImageStatusRequest request, StreamObserver<ImageStatusResponse> response) {
        RuntimeServiceAdapter.Unary.answer(request, response, images::imageStatus);
    }

    @Override
    public void listImages(ListImagesRequest request, StreamObserver<ListImagesResponse> response) {
        RuntimeServiceAdapter.Unary.answer(request, response, images::listImages);
    }

    /** A server stream of batches; see {@link ListStream}. */
    @Override
    public void streamImages(StreamImagesRequest request, StreamObserver<StreamImagesResponse> responses) {
        images.streamImages(request, responses);
    }

    @Override
    public void removeImage(RemoveImageRequest request, StreamObserver<RemoveImageResponse> response) {
        RuntimeServiceAdapter.Unary.answer(request, response, images::removeImage);
    }

    @Override
    public void imageFsInfo(ImageFsInfoRequest request, StreamObserver<ImageFsInfoResponse> response) {
        RuntimeServiceAdapter.Unary.answer(request, response, images::imageFsInfo);
    }
}
